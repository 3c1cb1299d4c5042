// A FastLexBot's locales turned into CfnBot locales, after the checks that refuse at synth what Lex would refuse at
// deploy (Lex V2 models API and quotas: https://docs.aws.amazon.com/lexv2/latest/dg/quotas.html).
import { Token } from 'aws-cdk-lib';
import type * as lex from 'aws-cdk-lib/aws-lex';
import { LEX_BOT_MESSAGE_MAX_CHARS } from '../../shared/lex-limits';
import type { FastLexBotProps, FastLexIntent, FastLexLocale, FastLexSlotType } from './props';

/** The name of the fallback intent the construct adds to every locale. */
export const FALLBACK_INTENT_NAME = 'FallbackIntent';

/** Lex's pattern for bot, intent, slot and slot type names (models API: `^([0-9a-zA-Z][_-]?)+$`, 1-100 characters). */
const LEX_NAME = /^([0-9a-zA-Z][_-]?)+$/;
/** A Lex V2 locale id: language, underscore, region (`en_US`, `es_419`). */
const LOCALE_ID = /^[a-z]{2}_([A-Z]{2}|\d{3})$/;
const LIMITS = { nameChars: 100, utteranceChars: 500, utterancesPerIntent: 1000, slotsPerIntent: 100, valuesPerSlotType: 10_000, valueChars: 500, maxRetries: 5 };
/** `{SlotName}` references in an utterance or prompt. */
const SLOT_REFERENCE = /\{([^{}]+)\}/g;

/** Raised when a FastLexBot holds what Lex would refuse, or what the construct cannot build. */
export class FastLexBotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FastLexBotError';
  }
}

const literal = (s: string | undefined): s is string => typeof s === 'string' && !Token.isUnresolved(s);

/** The bot's locales: `locales`, or the one locale of `intents` and its siblings; exactly one of the two. */
export function localesOf(where: string, props: FastLexBotProps): FastLexLocale[] {
  const single = props.intents !== undefined || props.slotTypes !== undefined || props.localeId !== undefined
    || props.nluConfidenceThreshold !== undefined || props.voice !== undefined;
  if (props.locales !== undefined && single) {
    throw new FastLexBotError(`${where}: set 'locales' for a bot of several locales, or 'intents' (with 'slotTypes', 'localeId', `
      + "'nluConfidenceThreshold', 'voice') for one locale, not both. Move them into an entry of 'locales'.");
  }
  if (props.locales === undefined) {
    if (!props.intents || props.intents.length === 0) {
      throw new FastLexBotError(`${where}: the bot has no intents. Give 'intents' (one locale) or 'locales', each intent with 'utterances' and a 'staticAnswer'.`);
    }
    return [{
      localeId: props.localeId ?? 'en_US',
      intents: props.intents,
      slotTypes: props.slotTypes,
      nluConfidenceThreshold: props.nluConfidenceThreshold,
      voice: props.voice,
    }];
  }
  if (props.locales.length === 0) throw new FastLexBotError(`${where}: 'locales' is empty. Give at least one locale with its intents.`);
  return props.locales;
}

/** Throws a FastLexBotError naming the locale, intent, slot and fix of the first thing Lex would refuse. */
export function checkLocales(where: string, locales: readonly FastLexLocale[]): void {
  const seen = new Set<string>();
  for (const locale of locales) {
    if (literal(locale.localeId) && !LOCALE_ID.test(locale.localeId)) {
      throw new FastLexBotError(`${where}: locale id '${locale.localeId}' is not a Lex V2 locale id. Write it as language_REGION, e.g. 'en_US' or 'es_419'.`);
    }
    if (seen.has(locale.localeId)) throw new FastLexBotError(`${where}: locale '${locale.localeId}' is given twice. Merge its intents into one entry.`);
    seen.add(locale.localeId);
    checkLocale(`${where}: locale ${locale.localeId}`, locale);
  }
}

function checkName(at: string, what: string, name: string, fix: string): void {
  if (!literal(name)) return;
  if (name.length === 0 || name.length > LIMITS.nameChars || !LEX_NAME.test(name)) {
    throw new FastLexBotError(`${at}: ${what} '${name}' is not a name Lex accepts: 1 to 100 letters and digits, each optionally followed by one `
      + `'_' or '-'. ${fix}`);
  }
}

function checkText(at: string, what: string, text: string | undefined, max = LEX_BOT_MESSAGE_MAX_CHARS): void {
  if (text === undefined || Token.isUnresolved(text)) return;
  if (text.trim() === '') throw new FastLexBotError(`${at}: ${what} is empty. Write what Lex should say.`);
  if (text.length > max) throw new FastLexBotError(`${at}: ${what} holds ${text.length} characters; Lex accepts at most ${max}. Shorten it.`);
}

function checkRetries(at: string, what: string, n: number | undefined): void {
  if (n === undefined || Token.isUnresolved(n)) return;
  if (!Number.isInteger(n) || n < 0 || n > LIMITS.maxRetries) {
    throw new FastLexBotError(`${at}: ${what} is ${n}; Lex accepts a whole number from 0 to ${LIMITS.maxRetries}.`);
  }
}

function checkReferences(at: string, what: string, text: string, slotNames: ReadonlySet<string>): void {
  if (!literal(text)) return;
  for (const [, ref] of text.matchAll(SLOT_REFERENCE)) {
    if (!slotNames.has(ref)) {
      throw new FastLexBotError(`${at}: ${what} names slot '{${ref}}', which the intent has no slot for (its slots: `
        + `${[...slotNames].join(', ') || 'none'}). Add the slot to 'slots', or correct the name (names are case-sensitive).`);
    }
  }
}

function checkLocale(at: string, locale: FastLexLocale): void {
  const t = locale.nluConfidenceThreshold;
  if (t !== undefined && !Token.isUnresolved(t) && !(t >= 0 && t <= 1)) {
    throw new FastLexBotError(`${at}: 'nluConfidenceThreshold' is ${t}; Lex accepts 0 to 1 (0.4 is Lex's default).`);
  }
  const slotTypes = new Set<string>();
  for (const type of locale.slotTypes ?? []) {
    checkSlotType(at, type);
    if (slotTypes.has(type.name)) throw new FastLexBotError(`${at}: slot type '${type.name}' is defined twice. Merge its values into one.`);
    slotTypes.add(type.name);
  }
  if (!locale.intents || locale.intents.length === 0) throw new FastLexBotError(`${at}: the locale has no intents. Give it at least one.`);
  const intents = new Set<string>();
  const utterances = new Map<string, string>();
  for (const intent of locale.intents) {
    const where = `${at}: intent '${intent.intentName}'`;
    checkName(at, 'intent name', intent.intentName, 'Rename the intent.');
    if (intent.intentName === FALLBACK_INTENT_NAME) {
      throw new FastLexBotError(`${at}: intent '${FALLBACK_INTENT_NAME}' is the construct's: every locale gets one on AMAZON.FallbackIntent. `
        + "Remove it from 'intents' and set 'fallbackAnswer' for what it says.");
    }
    if (intents.has(intent.intentName)) throw new FastLexBotError(`${at}: intent '${intent.intentName}' is defined twice. Keep one.`);
    intents.add(intent.intentName);
    checkIntent(where, intent, slotTypes);
    for (const u of intent.utterances) {
      if (!literal(u)) continue;
      const key = u.trim().toLowerCase();
      const other = utterances.get(key);
      if (other === intent.intentName) throw new FastLexBotError(`${where}: the utterance '${u}' is given twice. Keep one.`);
      if (other !== undefined) {
        throw new FastLexBotError(`${where}: the utterance '${u}' is also one of intent '${other}''s; `
          + 'Lex cannot pick either intent with confidence when a caller says it (Lex V2 guide, "Guidelines and quotas"). Keep it in one intent only.');
      }
      utterances.set(key, intent.intentName);
    }
  }
}

function checkIntent(where: string, intent: FastLexIntent, slotTypes: ReadonlySet<string>): void {
  if (!intent.utterances || intent.utterances.length === 0) {
    throw new FastLexBotError(`${where} has no 'utterances'. Give a few things a caller says for it, e.g. ['book a demo', 'call me'].`);
  }
  if (intent.utterances.length > LIMITS.utterancesPerIntent) {
    throw new FastLexBotError(`${where} has ${intent.utterances.length} utterances; Lex accepts at most ${LIMITS.utterancesPerIntent} per intent.`);
  }
  const slots = intent.slots ?? [];
  if (slots.length > LIMITS.slotsPerIntent) throw new FastLexBotError(`${where} has ${slots.length} slots; Lex accepts at most ${LIMITS.slotsPerIntent}.`);
  const slotNames = new Set<string>();
  for (const slot of slots) {
    const at = `${where}, slot '${slot.name}'`;
    checkName(where, 'slot name', slot.name, 'Rename the slot.');
    if (slotNames.has(slot.name)) throw new FastLexBotError(`${where}: slot '${slot.name}' is defined twice. Keep one.`);
    slotNames.add(slot.name);
    if (literal(slot.slotTypeName) && !slot.slotTypeName.startsWith('AMAZON.') && !slotTypes.has(slot.slotTypeName)) {
      throw new FastLexBotError(`${at}: slot type '${slot.slotTypeName}' is neither built in (AMAZON.*) nor a custom slot type of the locale `
        + `(${[...slotTypes].join(', ') || 'none'}). Add it to 'slotTypes', or name a built-in type such as 'AMAZON.FirstName'.`);
    }
    checkText(at, "'prompt'", slot.prompt);
    checkRetries(at, "'maxRetries'", slot.maxRetries);
  }
  for (const slot of slots) checkReferences(`${where}, slot '${slot.name}'`, "'prompt'", slot.prompt, slotNames);
  intent.utterances.forEach((u) => {
    checkText(where, `the utterance '${u}'`, u, LIMITS.utteranceChars);
    checkReferences(where, `the utterance '${u}'`, u, slotNames);
  });
  if (intent.confirmation) {
    checkText(where, "'confirmation.prompt'", intent.confirmation.prompt);
    checkText(where, "'confirmation.declination'", intent.confirmation.declination);
    checkRetries(where, "'confirmation.maxRetries'", intent.confirmation.maxRetries);
    checkReferences(where, "'confirmation.prompt'", intent.confirmation.prompt, slotNames);
  }
  if (intent.workflow && intent.startsWorkflow) {
    throw new FastLexBotError(`${where} sets both 'workflow' and 'startsWorkflow'. Give the workflow now ('workflow') or later ('startsWorkflow' and startWorkflow()).`);
  }
  if ((intent.workflow || intent.startsWorkflow) && intent.prompt !== undefined) {
    throw new FastLexBotError(`${where} starts a workflow, which answers with 'staticAnswer' only; its 'prompt' would never be used. Remove 'prompt'.`);
  }
}

function checkSlotType(at: string, type: FastLexSlotType): void {
  checkName(at, 'slot type name', type.name, 'Rename the slot type.');
  if (literal(type.name) && type.name.startsWith('AMAZON.')) {
    throw new FastLexBotError(`${at}: slot type '${type.name}' uses the AMAZON. prefix of built-in types. Give a custom type a name of its own.`);
  }
  if (!type.values || type.values.length === 0) {
    throw new FastLexBotError(`${at}: slot type '${type.name}' has no values; Lex needs at least one to learn from. Add 'values'.`);
  }
  const count = type.values.reduce((n, v) => n + 1 + (v.synonyms?.length ?? 0), 0);
  if (count > LIMITS.valuesPerSlotType) {
    throw new FastLexBotError(`${at}: slot type '${type.name}' has ${count} values and synonyms; Lex accepts at most ${LIMITS.valuesPerSlotType}.`);
  }
  for (const v of type.values) {
    for (const text of [v.value, ...(v.synonyms ?? [])]) checkText(`${at}: slot type '${type.name}'`, `the value '${text}'`, text, LIMITS.valueChars);
  }
}

const plainText = (value: string): lex.CfnBot.MessageGroupProperty[] => [{ message: { plainTextMessage: { value } } }];

/** One locale as `CfnBot` takes it: the intents, the construct's fallback intent, the custom slot types. */
export function cfnLocale(locale: FastLexLocale): lex.CfnBot.BotLocaleProperty {
  const intents: lex.CfnBot.IntentProperty[] = locale.intents.map((intent) => ({
    name: intent.intentName,
    description: intent.description,
    sampleUtterances: intent.utterances.map((utterance) => ({ utterance })),
    fulfillmentCodeHook: { enabled: true },
    slots: intent.slots?.map((slot) => ({
      name: slot.name,
      slotTypeName: slot.slotTypeName,
      valueElicitationSetting: {
        slotConstraint: slot.optional ? 'Optional' : 'Required',
        promptSpecification: {
          maxRetries: slot.maxRetries ?? 2,
          allowInterrupt: slot.allowInterrupt ?? true,
          messageGroupsList: plainText(slot.prompt),
        },
      },
    })),
    slotPriorities: intent.slots?.map((slot, i) => ({ priority: i + 1, slotName: slot.name })),
    intentConfirmationSetting: intent.confirmation && {
      promptSpecification: {
        maxRetries: intent.confirmation.maxRetries ?? 2,
        allowInterrupt: true,
        messageGroupsList: plainText(intent.confirmation.prompt),
      },
      declinationResponse: { messageGroupsList: plainText(intent.confirmation.declination) },
    },
  }));
  intents.push({ name: FALLBACK_INTENT_NAME, parentIntentSignature: 'AMAZON.FallbackIntent', fulfillmentCodeHook: { enabled: true } });
  return {
    localeId: locale.localeId,
    nluConfidenceThreshold: locale.nluConfidenceThreshold ?? 0.4,
    voiceSettings: locale.voice && { voiceId: locale.voice.voiceId, engine: locale.voice.engine },
    slotTypes: locale.slotTypes?.length ? locale.slotTypes.map((type) => ({
      name: type.name,
      description: type.description,
      valueSelectionSetting: { resolutionStrategy: type.keepOriginalValue === false ? 'TOP_RESOLUTION' : 'ORIGINAL_VALUE' },
      slotTypeValues: type.values.map((v) => ({
        sampleValue: { value: v.value },
        ...(v.synonyms?.length ? { synonyms: v.synonyms.map((value) => ({ value })) } : {}),
      })),
    })) : undefined,
    intents,
  };
}
