// Voice input timing of a generated call flow: the `x-amz-lex:audio:*` and `x-amz-lex:dtmf:*` session attributes per
// intent and slot (Lex V2 developer guide, "Configuring timeouts for capturing user input", session-attribs-speech).
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as lex from 'aws-cdk-lib/aws-lex';
import { aws_lex as lexRefs } from 'aws-cdk-lib/interfaces';
import { LEX_VOICE_SETTINGS, SHORT_ANSWER_SLOT_TYPES, voiceSettingKey } from '../../shared/lex-voice';

/** How Lex listens for one intent and slot on a call; each setting left out keeps Lex's default. */
export interface VoiceInputTiming {
  /**
   * The intent the settings apply to, `*` for every intent.
   * @default '*'
   */
  readonly intentName?: string;
  /**
   * The slot the settings apply to, `*` for every slot of the intent.
   * @default '*'
   */
  readonly slotName?: string;
  /**
   * How long Lex waits after the callee stops speaking before it takes the answer as finished
   * (`x-amz-lex:audio:end-timeout-ms`). Every turn waits this long before the bot can answer.
   * @default - Lex's 600 ms
   */
  readonly endSilence?: Duration;
  /**
   * How long Lex waits for the callee to start speaking before it takes the turn as silent and re-prompts
   * (`x-amz-lex:audio:start-timeout-ms`).
   * @default - Lex's 4,000 ms
   */
  readonly startTimeout?: Duration;
  /**
   * Longest answer before Lex truncates it (`x-amz-lex:audio:max-length-ms`, at most 15 s).
   * @default - Lex's 13 s
   */
  readonly maxSpeechLength?: Duration;
  /**
   * How long Lex waits after the last key press (`x-amz-lex:dtmf:end-timeout-ms`).
   * @default - Lex's 5,000 ms
   */
  readonly keypadEndTimeout?: Duration;
  /**
   * Most keys in one keypad answer (`x-amz-lex:dtmf:max-length`, at most 1,024).
   * @default - Lex's 1,024
   */
  readonly keypadMaxDigits?: number;
  /**
   * The key that ends a keypad answer at once (`x-amz-lex:dtmf:end-character`).
   * @default - Lex's '#'
   */
  readonly keypadEndCharacter?: string;
}

const NAME = /^(\*|[A-Za-z0-9_][A-Za-z0-9_.-]{0,99})$/;
const KEYPAD_KEYS = /^[0-9*#]$/;

/** The session attributes of `voiceTiming`, each value checked; errors name the entry and the fix. */
export function voiceTimingAttributes(where: string, entries: readonly VoiceInputTiming[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  entries.forEach((entry, index) => {
    const at = `${where}: 'voiceTiming[${index}]'`;
    const intent = entry.intentName ?? '*';
    const slot = entry.slotName ?? '*';
    for (const [name, value] of [['intentName', intent], ['slotName', slot]] as const) {
      if (!Token.isUnresolved(value) && !NAME.test(value)) throw new Error(`${at}.${name} must be '*' or an intent or slot name, got '${value}'.`);
    }
    const ms = (prop: string, d: Duration | undefined, max?: number): string | undefined => {
      if (d === undefined) return undefined;
      const value = d.toMilliseconds();
      if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
        throw new Error(`${at}.${prop} must be a whole number of milliseconds from 1${max !== undefined ? ` to ${max.toLocaleString('en-US')}` : ''}, got ${value}.`);
      }
      return String(value);
    };
    const set = (key: string, value: string | undefined) => { if (value !== undefined) attributes[voiceSettingKey(key, intent, slot)] = value; };
    set(LEX_VOICE_SETTINGS.endSilenceMs.key, ms('endSilence', entry.endSilence));
    set(LEX_VOICE_SETTINGS.startTimeoutMs.key, ms('startTimeout', entry.startTimeout));
    set(LEX_VOICE_SETTINGS.maxSpeechMs.key, ms('maxSpeechLength', entry.maxSpeechLength, LEX_VOICE_SETTINGS.maxSpeechMs.max));
    set(LEX_VOICE_SETTINGS.keypadEndTimeoutMs.key, ms('keypadEndTimeout', entry.keypadEndTimeout));
    if (entry.keypadMaxDigits !== undefined) {
      const n = entry.keypadMaxDigits;
      if (!Number.isInteger(n) || n < 1 || n > LEX_VOICE_SETTINGS.keypadMaxDigits.max) {
        throw new Error(`${at}.keypadMaxDigits must be a whole number from 1 to ${LEX_VOICE_SETTINGS.keypadMaxDigits.max.toLocaleString('en-US')}, got ${n}.`);
      }
      set(LEX_VOICE_SETTINGS.keypadMaxDigits.key, String(n));
    }
    if (entry.keypadEndCharacter !== undefined) {
      if (!KEYPAD_KEYS.test(entry.keypadEndCharacter)) throw new Error(`${at}.keypadEndCharacter must be one keypad key (0-9, * or #), got '${entry.keypadEndCharacter}'.`);
      set(LEX_VOICE_SETTINGS.keypadEndCharacter.key, entry.keypadEndCharacter);
    }
  });
  return attributes;
}

/** Checks `shortAnswerEndSilence`: a whole number of ms, at least 1. */
export function checkShortAnswerEndSilence(where: string, d: Duration | undefined): void {
  const value = d?.toMilliseconds();
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new Error(`${where}: 'shortAnswerEndSilence' must be a whole number of milliseconds from 1, got ${value}.`);
  }
}

/**
 * `x-amz-lex:audio:end-timeout-ms:<intent>:<slot>` = `endSilenceMs` for each slot of a short-answer type in the bot of
 * `botAlias`, when that alias is a `CfnBotAlias` whose `CfnBot` is in the same stack (otherwise the bot is unknown and
 * nothing is added). Keys already in `fixed` are left out.
 */
export function shortAnswerAttributes(botAlias: lexRefs.IBotAliasRef, endSilenceMs: number, fixed: Readonly<Record<string, string>>): Record<string, string> {
  const bot = botOfAlias(botAlias);
  if (!bot) return {};
  const stack = Stack.of(bot);
  const attributes: Record<string, string> = {};
  const locales = stack.resolve(bot.botLocales) as Array<{ intents?: Array<{ name?: unknown; slots?: Array<{ name?: unknown; slotTypeName?: unknown }> }> }> | undefined;
  for (const locale of Array.isArray(locales) ? locales : []) {
    for (const intent of locale.intents ?? []) {
      for (const slot of intent.slots ?? []) {
        if (typeof intent.name !== 'string' || typeof slot.name !== 'string' || !SHORT_ANSWER_SLOT_TYPES.includes(String(slot.slotTypeName))) continue;
        const key = voiceSettingKey(LEX_VOICE_SETTINGS.endSilenceMs.key, intent.name, slot.name);
        if (!(key in fixed)) attributes[key] = String(endSilenceMs);
      }
    }
  }
  return attributes;
}

function botOfAlias(botAlias: lexRefs.IBotAliasRef): lex.CfnBot | undefined {
  if (!(botAlias instanceof lex.CfnBotAlias)) return undefined;
  const stack = Stack.of(botAlias);
  const ref = stack.resolve(botAlias.botId) as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | string;
  const logicalId = typeof ref === 'object' ? (ref.Ref ?? ref['Fn::GetAtt']?.[0]) : undefined;
  if (!logicalId) return undefined;
  return stack.node.findAll().find((c): c is lex.CfnBot => c instanceof lex.CfnBot && stack.resolve(c.logicalId) === logicalId);
}
