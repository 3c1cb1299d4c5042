// Intent classification from a locale's sample utterances. Not Lex's NLU: each utterance is scored against every
// sample by word overlap (Dice coefficient, one typo per word forgiven) and by edit distance, and a sample with
// `{Slot}` references matches when its words do and the captured text resolves as the slot's type.
import { distance } from 'fastest-levenshtein';
import { DEFAULT_NLU_CONFIDENCE_THRESHOLD, fallbackIntent, type BotIntent, type BotLocale } from './bot-model';
import { resolveSlotValue, type ResolvedSlotValue } from './slot-values';

/** The one-line statement of the matching method, for docs and interactive modes. */
export const MATCHING_METHOD = "Offline Lex runtime: intents are matched to the bot's sample utterances by word overlap and edit distance, not by Lex's NLU.";

/** One candidate intent with its confidence (0..1) and the slot values its utterance carried. */
export interface IntentScore {
  readonly intent: BotIntent;
  readonly nluConfidence: number;
  readonly slots: Readonly<Record<string, ResolvedSlotValue>>;
}

/** The result of classifying one utterance: candidates by confidence, and the intent Lex would pick. */
export interface Classification {
  /** Intents at or above the threshold, best first (at most 4), then the fallback intent. */
  readonly candidates: readonly IntentScore[];
  /** The intent the turn goes to: the best candidate, or the fallback intent below the threshold. */
  readonly top: IntentScore;
}

const normalise = (text: string): string => text.toLowerCase().replace(/[’']/g, '').replace(/[^\p{L}\p{N}{}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
const wordsOf = (text: string): string[] => normalise(text).split(' ').filter(Boolean);
const sameWord = (a: string, b: string): boolean => a === b || (a.length >= 4 && b.length >= 4 && distance(a, b) <= 1);

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
    const resolved = resolveSlotValue(m[i + 1], slot.slotTypeName, locale.slotTypes);
    if (!resolved) return undefined;
    slots[name] = resolved;
  }
  return slots;
}

/** Scores `text` against every intent of the locale, as the stand-in's stand-in for Lex's NLU. */
export function classify(text: string, locale: BotLocale): Classification {
  const threshold = locale.nluConfidenceThreshold ?? DEFAULT_NLU_CONFIDENCE_THRESHOLD;
  const said = wordsOf(text);
  const scores: IntentScore[] = [];
  const fallback = fallbackIntent(locale);
  for (const intent of locale.intents ?? []) {
    if (intent.name === fallback.name) continue;
    let best: IntentScore = { intent, nluConfidence: 0, slots: {} };
    for (const { utterance } of intent.sampleUtterances ?? []) {
      let score: number;
      let slots: Record<string, ResolvedSlotValue> = {};
      if (utterance.includes('{')) {
        const captured = matchWithSlots(text, utterance, intent, locale);
        if (captured) { score = 1; slots = captured; } else score = similarity(said, wordsOf(utterance.replace(/\{[^}]+\}/g, ' '))) * 0.9;
      } else {
        score = similarity(said, wordsOf(utterance));
      }
      if (score > best.nluConfidence) best = { intent, nluConfidence: score, slots };
    }
    scores.push({ ...best, nluConfidence: Math.round(best.nluConfidence * 100) / 100 });
  }
  const passing = scores.filter((s) => s.nluConfidence >= threshold).sort((a, b) => b.nluConfidence - a.nluConfidence).slice(0, 4);
  const fallbackScore: IntentScore = { intent: fallback, nluConfidence: NaN, slots: {} };
  return { candidates: [...passing, fallbackScore], top: passing[0] ?? fallbackScore };
}
