// Splits an answer too long for one Lex V2 message into several, at sentence then word boundaries.

/**
 * Most characters in one Lex V2 runtime message (`Message.content`: length 1-1,024; Amazon Lex V2 API Reference,
 * runtime data type "Message"). Counted here in UTF-16 code units (JavaScript's `length`), never fewer than the
 * code points a service model's length counts, so a message that fits here fits Lex.
 */
export const LEX_MESSAGE_MAX_CHARS = 1024;
/**
 * Most messages in one Lex V2 response (the `Messages` list holds at most 10 items: Lex V2 runtime service model,
 * shape `Messages`, as published in the AWS SDKs, e.g. botocore `lexv2-runtime/2020-08-07/service-2.json`).
 */
export const LEX_MAX_MESSAGES = 10;

const ELLIPSIS = '\u2026';

/** Options of `splitMessage`. */
export interface SplitMessageOptions {
  /** @default LEX_MESSAGE_MAX_CHARS */
  readonly maxChars?: number;
  /** @default LEX_MAX_MESSAGES */
  readonly maxMessages?: number;
  /** Locale for sentence and word boundaries (a BCP 47 tag or a Lex locale id such as `en_US`). @default 'en' */
  readonly locale?: string;
}

/** The messages, and whether text past the last allowed message had to be left out (the last one then ends in "…"). */
export interface SplitMessageResult {
  readonly messages: string[];
  readonly truncated: boolean;
}

/**
 * The answer as Lex messages: one when it fits, else several packed at sentence boundaries, a sentence too long for
 * one message at word boundaries, and only a single word longer than a message (a long URL) at grapheme boundaries,
 * so no surrogate pair or combined character is ever cut. An empty or blank answer gives no message.
 */
export function splitMessage(text: string, options: SplitMessageOptions = {}): SplitMessageResult {
  const maxChars = options.maxChars ?? LEX_MESSAGE_MAX_CHARS;
  const maxMessages = options.maxMessages ?? LEX_MAX_MESSAGES;
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError(`splitMessage: maxChars must be a whole number of at least 2, got ${maxChars}.`);
  if (!Number.isInteger(maxMessages) || maxMessages < 1) throw new RangeError(`splitMessage: maxMessages must be a whole number of at least 1, got ${maxMessages}.`);
  const locale = (options.locale ?? 'en').replace('_', '-');
  const answer = text.trim();
  if (answer === '') return { messages: [], truncated: false };
  if (answer.length <= maxChars) return { messages: [answer], truncated: false };

  const units = sentences(answer, locale).flatMap((s) => (s.trim().length <= maxChars ? [s] : wordUnits(s, maxChars, locale)));
  const messages = pack(units, maxChars);
  if (messages.length <= maxMessages) return { messages, truncated: false };

  // Too many: keep the first maxMessages - 1, and fill the last with what fits before an ellipsis.
  const kept = messages.slice(0, maxMessages - 1);
  const rest = messages.slice(maxMessages - 1).join(' ');
  const [last] = pack(wordUnits(rest, maxChars - 1, locale), maxChars - 1);
  return { messages: [...kept, `${last.replace(/[\s.,;:!?]+$/u, '')}${ELLIPSIS}`], truncated: true };
}

/** Greedy packing of units (each at most maxChars once trimmed) into messages of at most maxChars, trimmed. */
function pack(units: string[], maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const unit of units) {
    const candidate = current + unit;
    if (candidate.trim().length <= maxChars) {
      current = candidate;
      continue;
    }
    if (current.trim() !== '') out.push(current.trim());
    current = unit.trimStart();
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function sentences(text: string, locale: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return text.match(/[^.!?\u3002\uff01\uff1f]+[.!?\u3002\uff01\uff1f]*\s*/gu) ?? [text];
  return [...new Intl.Segmenter(locale, { granularity: 'sentence' }).segment(text)].map((s) => s.segment);
}

/**
 * Units of at most maxChars to pack: space-separated words with their trailing spaces; a "word" longer than that
 * (text without spaces, such as Japanese, or a long URL) by the locale's word boundaries, and only a single word still
 * longer by graphemes.
 */
function wordUnits(text: string, maxChars: number, locale: string): string[] {
  const spaced = text.match(/\S+\s*|\s+/gu) ?? [text];
  return spaced.flatMap((w) => (w.trim().length <= maxChars ? [w] : localeWords(w, locale).flatMap((u) => (
    u.trim().length <= maxChars ? [u] : packGraphemes(u, maxChars, locale)
  ))));
}

/** The locale's word units: a word with the punctuation after it, so a break never falls inside a word or before "." */
function localeWords(text: string, locale: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return [text];
  const units: string[] = [];
  for (const s of new Intl.Segmenter(locale, { granularity: 'word' }).segment(text)) {
    if (s.isWordLike || units.length === 0) units.push(s.segment);
    else units[units.length - 1] += s.segment;
  }
  return units;
}

/** A unit longer than maxChars, cut into pieces of whole graphemes. */
function packGraphemes(unit: string, maxChars: number, locale: string): string[] {
  const graphemes = typeof Intl.Segmenter === 'function'
    ? [...new Intl.Segmenter(locale, { granularity: 'grapheme' }).segment(unit)].map((g) => g.segment)
    : Array.from(unit);
  const out: string[] = [];
  let current = '';
  for (const g of graphemes) {
    if ((current + g).length > maxChars) {
      out.push(current);
      current = '';
    }
    current += g;
  }
  if (current !== '') out.push(current);
  return out;
}
