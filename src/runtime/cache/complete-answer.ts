// Decides whether a generated answer is complete enough to cache: a cut-off sentence or a guardrail refusal served
// for the whole TTL is worse than the static answer.

/** What to do with a generation. */
export type Completeness =
  | { readonly kind: 'complete'; readonly text: string }
  /** Bedrock stopped at maxTokens; `text` is the answer up to its last whole sentence. */
  | { readonly kind: 'trimmed'; readonly text: string }
  /** Not cacheable: cut before the first sentence ended, or the guardrail replaced the answer. */
  | { readonly kind: 'unusable'; readonly reason: 'max_tokens' | 'guardrail_intervened' | 'content_filtered' };

/** A sentence ends at `.`, `!`, `?` or `…` (optionally followed by a closing quote or bracket), then space or the end. */
const SENTENCE_END = /[.!?…]["'”’)\]]?(?=\s|$)/g;

/** Classifies a generation by its `stopReason` (Bedrock Converse: end_turn, max_tokens, guardrail_intervened, ...). */
export function completeAnswer(text: string, stopReason: string): Completeness {
  if (stopReason === 'guardrail_intervened' || stopReason === 'content_filtered') return { kind: 'unusable', reason: stopReason };
  if (stopReason !== 'max_tokens') return { kind: 'complete', text };
  let end = -1;
  for (const m of text.matchAll(SENTENCE_END)) end = m.index + m[0].length;
  if (end <= 0) return { kind: 'unusable', reason: 'max_tokens' };
  return { kind: 'trimmed', text: text.slice(0, end).trim() };
}
