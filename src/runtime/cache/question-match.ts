// The question matcher: whether the answer to one question may be served for another, decided pairwise by the same
// code the cache uses, so a user can test a threshold with `matchQuestions` and see what the cache will do.
import { FastLexError } from '../../shared/errors';
import { analyseQuestion, STICKY, type AnalysedQuestion, type QuestionTerm } from './question-text';

/** One intent's matching settings: plain JSON (it travels in the intents configuration). */
export interface QuestionMatchSettings {
  /**
   * Score at or above which an answered question's answer is reused for a new one, in (0, 1]. 1 reuses exact
   * signatures only.
   * @default DEFAULT_NEAR_MATCH_THRESHOLD
   */
  readonly threshold?: number;
  /**
   * Words that never change what is asked of this intent: usually the product's or the assistant's own name, which
   * visitors use and leave out alike ("how do you use Lex" / "how does Atlas use Lex"). Matched case-insensitively
   * after stemming; a phrase counts word by word. They never make a signature equal (that stays exact): they only
   * let a near match ignore them.
   * @default - none
   */
  readonly ignoredWords?: readonly string[];
}

/**
 * The default near-match threshold. Below it, a question that adds generic words ("please tell me...") to an answered
 * one still matches; a question that adds a content word matches only when both share at least five others.
 */
export const DEFAULT_NEAR_MATCH_THRESHOLD = 0.9;

/** The matcher's verdict on a pair of questions. */
export interface QuestionMatch {
  /** Would the answer to the answered question be served for the asked one. */
  readonly reuse: boolean;
  /** Same signature: an exact hit, not a near one. */
  readonly exact: boolean;
  /** Weighted overlap of the two questions' terms, 0..1 (1 for an exact hit; 0 when a meaning feature differs). */
  readonly score: number;
  /**
   * Why, in a few words, for someone testing a threshold ('negation differs', 'numbers differ: 2 / 20',
   * 'different words: order / subscription'). It quotes words of the questions: never log it.
   */
  readonly reason: string;
}

/** A question-match setting is out of range; the message names the setting and the range. */
export class QuestionMatchSettingsError extends FastLexError {
  override readonly name: string = 'QuestionMatchSettingsError';
  constructor(public readonly setting: string, reason: string) {
    super(`Question match setting '${setting}' ${reason}.`);
  }
}

/** Settings checked and ready to compare with: the threshold, and the stems of the ignored words. */
export interface MatchRules {
  readonly threshold: number;
  readonly ignored: ReadonlySet<string>;
}

const compiled = new WeakMap<QuestionMatchSettings, MatchRules>();
const DEFAULT_RULES: MatchRules = { threshold: DEFAULT_NEAR_MATCH_THRESHOLD, ignored: new Set() };

/** Checks `settings` and compiles them (once per settings object). */
export function matchRules(settings?: QuestionMatchSettings): MatchRules {
  if (!settings) return DEFAULT_RULES;
  const known = compiled.get(settings);
  if (known) return known;
  const threshold = settings.threshold ?? DEFAULT_NEAR_MATCH_THRESHOLD;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new QuestionMatchSettingsError('threshold', `must be a number above 0 and at most 1 (1 reuses exact matches only), got ${String(threshold)}`);
  }
  const words = settings.ignoredWords ?? [];
  if (!Array.isArray(words) || words.some((w) => typeof w !== 'string')) {
    throw new QuestionMatchSettingsError('ignoredWords', 'must be a list of words (strings)');
  }
  const ignored = new Set(words.flatMap((w) => [...analyseQuestion(w).terms.keys()]));
  const rules = { threshold, ignored };
  compiled.set(settings, rules);
  return rules;
}

/**
 * Says whether the answer to `answered` would be served for `asked`, with the score and the reason. English only.
 *
 * The decision is pairwise: the same two questions get the same verdict whatever else the cache holds. A pair
 * never matches when negation, a number, a question word (when / where / why / who / how much...), an obligation
 * ("must", "need to") or the past tense differs, when each question has a content word the other lacks ("cancel my
 * order" / "cancel my subscription"), or when a name is in one only; otherwise the weighted overlap of their terms
 * (stemmed, stop words dropped, generic words such as "tell" or "please" weighing little) must reach the threshold.
 *
 * @example
 * import { matchQuestions } from 'cdk-fast-lex/runtime/cache';
 *
 * matchQuestions('How do you use Lex?', 'How is Lex used by you');
 * // { reuse: true, exact: true, score: 1, reason: 'same signature' }
 * matchQuestions('Can I pay by card?', "Can't I pay by card?");
 * // { reuse: false, exact: false, score: 0, reason: 'negation differs' }
 * matchQuestions('Where is my order?', 'I want to know where my order is');
 * // { reuse: true, exact: false, score: 0.91, reason: 'near match 0.91 >= 0.9' }
 * matchQuestions('Can you tell me your pricing?', 'What is your pricing', { threshold: 0.99 });
 * // { reuse: false, exact: false, score: 0.95, reason: 'below threshold 0.95 < 0.99' }
 */
export function matchQuestions(answered: string, asked: string, settings?: QuestionMatchSettings): QuestionMatch {
  return compareAnalysed(analyseQuestion(answered), analyseQuestion(asked), matchRules(settings));
}

/**
 * The normalised question signature that enters the exact cache key: equal signatures are an exact hit. Case,
 * spacing, punctuation, contractions, word order and filler words do not change it; negation, numbers, question
 * words and named things do. It starts with a version ('q1:') so a future analyser never collides with stored keys.
 * It holds stems of the visitor's words: treat it like the question (never log it).
 */
export function questionSignature(question: string): string {
  return analyseQuestion(question).signature;
}

/** The decision on two analysed questions: `matchQuestions` and `QuestionIndex` both call it. */
export function compareAnalysed(answeredQuestion: AnalysedQuestion, askedQuestion: AnalysedQuestion, rules: MatchRules): QuestionMatch {
  if (answeredQuestion.signature === askedQuestion.signature) return { reuse: true, exact: true, score: 1, reason: 'same signature' };
  const threshold = rules.threshold;
  const answered = withoutIgnored(answeredQuestion, rules.ignored);
  const asked = withoutIgnored(askedQuestion, rules.ignored);
  const feature = featureDifference(answered, asked);
  if (feature) return refuse(0, feature);
  const onlyAnswered = oneSided(answered, asked);
  const onlyAsked = oneSided(asked, answered);
  const content = (terms: QuestionTerm[]) => terms.filter((t) => t.weight >= 1);
  const answeredContent = content(onlyAnswered);
  const askedContent = content(onlyAsked);
  const score = round(diceScore(answered, asked));
  if (answeredContent.length > 0 && askedContent.length > 0) {
    return refuse(score, `different words: ${list(answeredContent)} / ${list(askedContent)}`);
  }
  const named = [...answeredContent, ...askedContent].filter((t) => t.named);
  if (named.length > 0) return refuse(score, `named thing only in one: ${list(named)}`);
  const sticky = [...answeredContent, ...askedContent].filter((t) => STICKY.has(t.word));
  if (sticky.length > 0) return refuse(score, `word only in one: ${list(sticky)}`);
  const extra = [...answeredContent, ...askedContent];
  const note = extra.length > 0 ? ` (only in one: ${list(extra)})` : '';
  if (score < threshold) return refuse(score, `below threshold ${score.toFixed(2)} < ${threshold}${note}`);
  return { reuse: true, exact: false, score, reason: `near match ${score.toFixed(2)} >= ${threshold}${note}` };
}

/**
 * Why the embedding stage must not reuse `answered`'s answer for `asked` however close their vectors are, or undefined.
 * An embedding scores a flipped negation or another number as near as a paraphrase, so what the lexical matcher knows
 * for certain still decides: numbers that differ, a named thing in one only, and, between questions that share most of
 * their words, whatever the lexical matcher refuses (a flipped negation, a swapped noun: "cancel my order" / "cancel
 * my subscription"). A paraphrase in other words ("I still haven't got my card" / "when will my card arrive") is left
 * to the embedding: its words differ too much for the lexical matcher to know.
 */
export function embeddingVeto(answered: string, asked: string, settings?: QuestionMatchSettings): string | undefined {
  const rules = matchRules(settings);
  const a = withoutIgnored(analyseQuestion(answered), rules.ignored);
  const b = withoutIgnored(analyseQuestion(asked), rules.ignored);
  if (a.numbers.join() !== b.numbers.join()) return 'numbers differ';
  const named = [...oneSided(a, b), ...oneSided(b, a)].filter((t) => t.named && t.weight >= 1);
  if (named.length > 0) return 'named thing only in one';
  // Mostly the same words: the lexical matcher knows what the change means (a flipped negation, a swapped noun).
  if (diceScore(a, b) >= EMBEDDING_LEXICAL_OVERLAP) {
    const lexical = compareAnalysed(analyseQuestion(answered), analyseQuestion(asked), rules);
    if (!lexical.reuse) return lexical.reason;
  }
  return undefined;
}

/** Word overlap at or above which two questions are the same words, decided lexically, not a paraphrase in others. */
const EMBEDDING_LEXICAL_OVERLAP = 0.5;

/** Weighted Dice overlap: twice the shared weight over both totals. Symmetric, so the order of the pair never matters. */
export function diceScore(a: AnalysedQuestion, b: AnalysedQuestion): number {
  if (a.totalWeight === 0 || b.totalWeight === 0) return 0;
  let shared = 0;
  for (const [term, t] of a.terms) {
    const other = b.terms.get(term);
    if (other) shared += Math.min(t.weight, other.weight);
  }
  return (2 * shared) / (a.totalWeight + b.totalWeight);
}

/** The question without the ignored words' terms (the same object when none of them is in it). */
export function withoutIgnored(question: AnalysedQuestion, ignored: ReadonlySet<string>): AnalysedQuestion {
  if (ignored.size === 0 || ![...ignored].some((term) => question.terms.has(term))) return question;
  const terms = new Map([...question.terms].filter(([term]) => !ignored.has(term)));
  const totalWeight = [...terms.values()].reduce((sum, t) => sum + t.weight, 0);
  return { ...question, terms, totalWeight };
}

function featureDifference(a: AnalysedQuestion, b: AnalysedQuestion): string | undefined {
  if (a.negated !== b.negated) return 'negation differs';
  if (a.numbers.join() !== b.numbers.join()) return `numbers differ: ${a.numbers.join(' ') || '-'} / ${b.numbers.join(' ') || '-'}`;
  if (a.aspects.join() !== b.aspects.join()) return `question word differs: ${a.aspects.join(' ') || '-'} / ${b.aspects.join(' ') || '-'}`;
  if (a.obligation !== b.obligation) return 'obligation differs (must / need to / should)';
  if (a.past !== b.past) return 'tense differs (past / present)';
  // Only when both name both sides: "can you send me a receipt" and "can I get a receipt" ask the same thing.
  if (a.perspective && b.perspective && a.perspective !== b.perspective) return `who acts differs: ${a.perspective} / ${b.perspective}`;
  return undefined;
}

function oneSided(a: AnalysedQuestion, b: AnalysedQuestion): QuestionTerm[] {
  return [...a.terms.values()].filter((t) => !b.terms.has(t.term));
}

function list(terms: readonly QuestionTerm[]): string {
  return terms.map((t) => t.word).join(', ');
}

function refuse(score: number, reason: string): QuestionMatch {
  return { reuse: false, exact: false, score, reason };
}

/** Two decimals: the reported score is the compared score, so a reason never says 0.85 < 0.85. */
function round(score: number): number {
  return Math.round(score * 100) / 100;
}
