// Lex V2 voice settings a call flow writes as session attributes and the checks and the offline call read back.
// Source: Lex V2 developer guide, "Configuring timeouts for capturing user input"
// (https://docs.aws.amazon.com/lexv2/latest/dg/session-attribs-speech.html), and the Connect admin guide, Get customer
// input, "Barge-in configuration and usage for Amazon Lex" (Lex V2: `x-amz-lex:allow-interrupt`).

/** Prefix of Lex V2's barge-in switch; the key names an intent and a slot, `*` for all: `...:*:*`. */
export const LEX_ALLOW_INTERRUPT_PREFIX = 'x-amz-lex:allow-interrupt';

/** The speech and keypad settings of the session-attribs-speech page, with Lex's documented defaults. */
export const LEX_VOICE_SETTINGS = {
  /** How long Lex waits after the caller stops speaking before it takes the utterance as finished. */
  endSilenceMs: { key: 'x-amz-lex:audio:end-timeout-ms', lexDefault: 600 },
  /** How long Lex waits for the caller to start speaking before it takes the turn as silent. */
  startTimeoutMs: { key: 'x-amz-lex:audio:start-timeout-ms', lexDefault: 4_000 },
  /** Longest utterance before Lex truncates it (at most 15,000 ms). */
  maxSpeechMs: { key: 'x-amz-lex:audio:max-length-ms', lexDefault: 13_000, max: 15_000 },
  /** How long Lex waits after the last key press. */
  keypadEndTimeoutMs: { key: 'x-amz-lex:dtmf:end-timeout-ms', lexDefault: 5_000 },
  /** Most key presses in one input (at most 1,024). */
  keypadMaxDigits: { key: 'x-amz-lex:dtmf:max-length', lexDefault: 1_024, max: 1_024 },
  /** The key that ends keypad input at once. */
  keypadEndCharacter: { key: 'x-amz-lex:dtmf:end-character', lexDefault: '#' },
} as const;

/**
 * The end-of-speech silence a generated call flow gives short answers (a yes/no, a number) when none is set: a
 * one-word answer has no pause inside it, so waiting Lex's full 600 ms after it only delays the bot. 400 ms still
 * spans a breath; longer answers (names, phone numbers said in groups) keep Lex's 600 ms.
 */
export const DEFAULT_SHORT_ANSWER_END_SILENCE_MS = 400;

/** Built-in slot types whose answers are short (one word or one number), so a shorter end silence suits them. */
export const SHORT_ANSWER_SLOT_TYPES: readonly string[] = ['AMAZON.Confirmation', 'AMAZON.Number'];

/** The session attribute key of a setting for an intent and slot (`*` for all). */
export function voiceSettingKey(settingKey: string, intentName = '*', slotName = '*'): string {
  return `${settingKey}:${intentName}:${slotName}`;
}

/**
 * The value of a voice setting that applies to an intent and slot, from session attributes, as Lex picks it: the
 * intent and slot's own key first, then the intent's wildcard slot, then the wildcard intent with the slot, then
 * `*:*`. Undefined when none is set (Lex's default applies).
 */
export function effectiveVoiceSetting(attributes: Readonly<Record<string, string>>, settingKey: string, intentName?: string, slotName?: string): string | undefined {
  const intents = intentName ? [intentName, '*'] : ['*'];
  const slots = slotName ? [slotName, '*'] : ['*'];
  for (const i of intents) {
    for (const s of slots) {
      const value = attributes[voiceSettingKey(settingKey, i, s)];
      if (value !== undefined) return value;
    }
  }
  return undefined;
}
