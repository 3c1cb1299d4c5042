import { describe, expect, it } from 'vitest';
import { LEX_MAX_MESSAGES, LEX_MESSAGE_MAX_CHARS, splitMessage } from '../../../src/runtime/lex/split-message';

// Lex V2 runtime limits: Message.content is 1-1,024 characters (API Reference, runtime data type "Message"); a response
// holds at most 10 messages (runtime service model, shape "Messages", max 10).

/** Sentences of varied length, cycled until the text has exactly `length` UTF-16 code units, ending on a full stop. */
function prose(length: number, sentences = ['The engine answers in milliseconds.', 'Callers hear the answer at once, and the cache fills in the background.', 'Nothing waits on the model.']): string {
  let text = '';
  for (let i = 0; text.length < length; i++) text += (text ? ' ' : '') + sentences[i % sentences.length];
  text = text.slice(0, length - 1).trimEnd();
  while (text.length < length - 1) text += 'x';
  return `${text}.`;
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/u).filter(Boolean);
}

/** A string is well formed when it holds no lone surrogate, i.e. no surrogate pair was cut. */
function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** Every message fits Lex and the messages, rejoined, are the answer's words in order: nothing cut, nothing lost. */
function expectFaithfulSplit(text: string, messages: string[]): void {
  for (const m of messages) {
    expect(m.length).toBeGreaterThan(0);
    expect(m.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX_CHARS);
    expect(m).toBe(m.trim());
  }
  expect(messages.length).toBeLessThanOrEqual(LEX_MAX_MESSAGES);
  expect(messages.flatMap(wordsOf)).toEqual(wordsOf(text));
}

describe('splitMessage', () => {
  it('keeps an answer of 1,023 characters as one message', () => {
    const text = prose(1023);
    expect(splitMessage(text)).toEqual({ messages: [text], truncated: false });
  });

  it('keeps an answer of exactly 1,024 characters as one message', () => {
    const text = prose(1024);
    expect(text).toHaveLength(1024);
    expect(splitMessage(text)).toEqual({ messages: [text], truncated: false });
  });

  it('splits an answer of 1,025 characters into two messages at a sentence boundary', () => {
    const text = prose(1025);
    const { messages, truncated } = splitMessage(text);
    expect(truncated).toBe(false);
    expect(messages).toHaveLength(2);
    expectFaithfulSplit(text, messages);
    expect(messages[0]).toMatch(/[.]$/u);
  });

  it('splits an answer of 5,000 characters into five messages, each ending a sentence', () => {
    const text = prose(5000);
    const { messages, truncated } = splitMessage(text);
    expect(truncated).toBe(false);
    expect(messages).toHaveLength(5);
    expectFaithfulSplit(text, messages);
    for (const m of messages) expect(m).toMatch(/[.]$/u);
  });

  it('splits multi-byte text (accents, CJK, emoji) without cutting a surrogate pair or a word', () => {
    const text = prose(5000, ['Café crème à l\u2019hôtel Zürich, s\u2019il vous plaît.', '東京の天気は晴れです。', 'We ship 🚀 today 👩‍💻 and tomorrow 🇺🇸!']);
    const { messages } = splitMessage(text);
    expectFaithfulSplit(text, messages);
    expect(hasLoneSurrogate('🚀'.slice(0, 1))).toBe(true); // the check sees a cut pair
    for (const m of messages) expect(hasLoneSurrogate(m)).toBe(false);
    expect(messages.join(' ')).toContain('👩‍💻');
  });

  it('splits a sentence longer than a message at word boundaries', () => {
    const text = `${Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')}.`; // one sentence of ~3,000 characters
    const { messages } = splitMessage(text);
    expect(messages.length).toBeGreaterThan(2);
    expectFaithfulSplit(text, messages);
  });

  it('cuts only a single word longer than a message, at grapheme boundaries', () => {
    const url = `https://example.com/${'🙂'.repeat(700)}`; // 1,420 UTF-16 code units, no space
    const { messages } = splitMessage(`See ${url} for details.`);
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX_CHARS);
      expect(hasLoneSurrogate(m)).toBe(false);
    }
    expect(messages.join('').replace(/\s+/gu, '')).toBe(`See ${url} for details.`.replace(/\s+/gu, ''));
    expect(messages[0].startsWith('See ')).toBe(true); // the word before the long one stays whole
  });

  it('returns at most 10 messages and marks the answer as truncated, the last ending in an ellipsis', () => {
    const text = prose(20_000);
    const { messages, truncated } = splitMessage(text);
    expect(truncated).toBe(true);
    expect(messages).toHaveLength(LEX_MAX_MESSAGES);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX_CHARS);
    expect(messages[9]).toMatch(/\u2026$/u);
    expect(wordsOf(messages.slice(0, 9).join(' '))).toEqual(wordsOf(text).slice(0, wordsOf(messages.slice(0, 9).join(' ')).length));
  });

  it('gives no message for a blank answer', () => {
    expect(splitMessage('  \n ')).toEqual({ messages: [], truncated: false });
  });

  it('refuses limits that cannot hold a message', () => {
    expect(() => splitMessage('x', { maxChars: 1 })).toThrow('splitMessage: maxChars must be a whole number of at least 2, got 1.');
    expect(() => splitMessage('x', { maxMessages: 0 })).toThrow('splitMessage: maxMessages must be a whole number of at least 1, got 0.');
  });
});

describe('splitMessage on text without spaces', () => {
  it('splits a Japanese sentence longer than a message at the locale\'s word boundaries', () => {
    const sentence = `${'東京の天気は晴れで、明日も暖かい'.repeat(80)}です。`; // one sentence of 1,283 characters, no spaces
    const { messages } = splitMessage(sentence, { locale: 'ja_JP' });
    expect(messages.length).toBe(2);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX_CHARS);
    expect(messages.join('')).toBe(sentence);
    const words = [...new Intl.Segmenter('ja', { granularity: 'word' }).segment(sentence)].map((s) => s.index);
    expect(words).toContain(messages[0].length); // the cut is a word boundary
  });
});
