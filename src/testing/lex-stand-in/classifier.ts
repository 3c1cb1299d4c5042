// Intent classification from a locale's sample utterances. Not Lex's NLU: an intent's score is the mean of how alike
// the utterance is to its closest sample (word overlap or edit distance, one typo per word forgiven) and how much of
// the utterance the intent's sample words cover (rarer words weigh more); a sample with `{Slot}` references matches
// outright when its words do and the captured text resolves as the slot's type.
import { editDistance as distance } from './text-libraries';
import { DEFAULT_NLU_CONFIDENCE_THRESHOLD, fallbackIntent, type BotIntent, type BotLocale } from './bot-model';
import { resolveSlotValue, type ResolvedSlotValue } from './slot-values';

/** The one-line statement of the matching method, for docs and interactive modes. */
export const MATCHING_METHOD = "Offline Lex runtime: intents are matched to the bot's sample utterances by word overlap, word rarity and edit distance, not by Lex's NLU; "
  + 'below the locale threshold the fallback intent wins, and the interpretations list the near misses with their scores.';

/** One candidate intent with its confidence (0..1) and the slot values its utterance carried. */
export interface IntentScore {
  readonly intent: BotIntent;
  readonly nluConfidence: number;
  readonly slots: Readonly<Record<string, ResolvedSlotValue>>;
}

/** The result of classifying one utterance: candidates by confidence, and the intent Lex would pick. */
export interface Classification {
  /**
   * The scored intents, best first (at most 4), and the fallback intent: last when the best passes the locale's
   * threshold, first when none does.
   */
  readonly candidates: readonly IntentScore[];
  /** The intent the turn goes to: the best candidate, or the fallback intent below the threshold. */
  readonly top: IntentScore;
}

const normalise = (text: string): string => text.toLowerCase().replace(/[’']/g, '').replace(/[^\p{L}\p{N}{}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
// Sample utterances are normalised once: the cache is keyed by the text, which repeats on every turn.
const normalised = new Map<string, string[]>();
const wordsOf = (text: string): string[] => {
  let words = normalised.get(text);
  if (!words) {
    words = normalise(text).split(' ').filter(Boolean);
    if (normalised.size < 50_000) normalised.set(text, words);
  }
  return words;
};
const sameWord = (a: string, b: string): boolean => a === b || (a.length >= 4 && b.length >= 4 && Math.abs(a.length - b.length) <= 1 && distance(a, b) <= 1);

/** How alike two texts are, 0..1: the better of word overlap and character edit similarity. */
function similarity(said: string[], sample: string[]): number {
  if (said.length === 0 || sample.length === 0) return 0;
  const unused = [...sample];
  let shared = 0;
  for (const w of said) {
    const i = unused.findIndex((s) => sameWord(w, s));
    if (i >= 0) { shared++; unused.splice(i, 1); }
  }
  const dice = (2 * shared) / (said.length + sample.length);
  const a = said.join(' ');
  const b = sample.join(' ');
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length);
  return Math.max(dice, edit);
}

/** Matches a sample with `{Slot}` references: literal words in order around captures that resolve as their types. */
function matchWithSlots(text: string, sample: string, intent: BotIntent, locale: BotLocale): Record<string, ResolvedSlotValue> | undefined {
  const parts = sample.split(/(\{[A-Za-z0-9_]+\})/).filter((p) => p.trim() !== '');
  const pattern = parts.map((p) => {
    const slot = /^\{(.+)\}$/.exec(p);
    if (slot) return '(.+?)';
    return wordsOf(p).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
  }).join('\\s+');
  const names = parts.map((p) => /^\{(.+)\}$/.exec(p)?.[1]).filter((n): n is string => n !== undefined);
  // Slot values keep their characters (digits, '+'), so the text is only lower-cased and trimmed of end punctuation.
  const m = new RegExp(`^${pattern}$`, 'i').exec(text.trim().replace(/[.!?]+$/, '').replace(/\s+/g, ' '));
  if (!m) return undefined;
  const slots: Record<string, ResolvedSlotValue> = {};
  for (const [i, name] of names.entries()) {
    const slot = intent.slots?.find((s) => s.name === name);
    if (!slot) return undefined;
    const resolved = resolveSlotValue(m[i + 1], slot.slotTypeName, { slotTypes: locale.slotTypes, localeId: locale.localeId });
    if (!resolved) return undefined;
    slots[name] = resolved;
  }
  return slots;
}

/** Each intent's sample words, and each word's weight: 1 / the number of intents whose samples use it. */
const vocabularyCache = new WeakMap<BotLocale, ReturnType<typeof buildVocabularies>>();
function vocabularies(locale: BotLocale, intents: readonly BotIntent[]): ReturnType<typeof buildVocabularies> {
  let v = vocabularyCache.get(locale);
  if (!v) { v = buildVocabularies(intents); vocabularyCache.set(locale, v); }
  return v;
}

function buildVocabularies(intents: readonly BotIntent[]): { words: Map<string, Set<string>>; weight: (w: string) => number } {
  const words = new Map(intents.map((i) => [i.name, new Set((i.sampleUtterances ?? []).flatMap((u) => wordsOf(u.utterance.replace(/\{[^}]+\}/g, ' '))))]));
  const users = new Map<string, number>();
  for (const set of words.values()) for (const w of set) users.set(w, (users.get(w) ?? 0) + 1);
  return { words, weight: (w) => 1 / (users.get(w) ?? 1) };
}

/** The weighted share of the said words that the intent's samples use (a typo forgiven). */
function coverage(said: string[], vocabulary: Set<string>, weight: (w: string) => number): number {
  let total = 0;
  let covered = 0;
  for (const w of said) {
    const known = vocabulary.has(w) ? w : [...vocabulary].find((v) => sameWord(w, v));
    const wt = weight(known ?? w);
    total += wt;
    if (known) covered += wt;
  }
  return total === 0 ? 0 : covered / total;
}

/** Scores `text` against every intent of the locale, as the stand-in's stand-in for Lex's NLU. */
export function classify(text: string, locale: BotLocale, recognizable: (intent: BotIntent) => boolean = () => true): Classification {
  const threshold = locale.nluConfidenceThreshold ?? DEFAULT_NLU_CONFIDENCE_THRESHOLD;
  const said = wordsOf(text);
  const scores: IntentScore[] = [];
  const fallback = fallbackIntent(locale);
  const intents = (locale.intents ?? []).filter((i) => i.name !== fallback.name);
  const vocab = vocabularies(locale, intents);
  for (const intent of intents.filter(recognizable)) {
    const covered = coverage(said, vocab.words.get(intent.name)!, vocab.weight);
    let best: IntentScore = { intent, nluConfidence: 0, slots: {} };
    for (const { utterance } of intent.sampleUtterances ?? []) {
      let score: number;
      let slots: Record<string, ResolvedSlotValue> = {};
      if (utterance.includes('{')) {
        const captured = matchWithSlots(text, utterance, intent, locale);
        // A capture that an expanding custom type took without matching any of its values ("order flowers" for
        // "order {FlowerType}") is a weaker reading than one that names a known value.
        if (captured) { score = Object.values(captured).some((v) => v.resolvedValues.length === 0) ? 0.9 : 1; slots = captured; } else score = (similarity(said, wordsOf(utterance.replace(/\{[^}]+\}/g, ' '))) * 0.9 + covered) / 2;
      } else {
        score = (similarity(said, wordsOf(utterance)) + covered) / 2;
      }
      if (score > best.nluConfidence) best = { intent, nluConfidence: score, slots };
    }
    scores.push({ ...best, nluConfidence: Math.round(best.nluConfidence * 100) / 100 });
  }
  // Lex lists at most 5 interpretations, best first: below the threshold the fallback intent leads and the near
  // misses follow with their scores, so a test can see how close the call was.
  const ranked = scores.filter((s) => s.nluConfidence > 0).sort((a, b) => b.nluConfidence - a.nluConfidence).slice(0, 4);
  const fallbackScore: IntentScore = { intent: fallback, nluConfidence: NaN, slots: {} };
  const top = ranked[0] && ranked[0].nluConfidence >= threshold ? ranked[0] : fallbackScore;
  return { candidates: top === fallbackScore ? [fallbackScore, ...ranked] : [...ranked, fallbackScore], top };
}
