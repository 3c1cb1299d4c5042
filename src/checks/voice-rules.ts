// The voice latency rule: a bot that Amazon Connect calls, whose short answers (yes/no, a number) still wait Lex's
// default end-of-speech silence on every turn.
import { DEFAULT_SHORT_ANSWER_END_SILENCE_MS, LEX_VOICE_SETTINGS, SHORT_ANSWER_SLOT_TYPES } from '../shared/lex-voice';
import { dig, flatten, isObject, refTarget, TemplateModel } from './template-model';

/** One short-answer slot left at Lex's default end silence. */
export interface ShortAnswerAtDefault {
  /** The AWS::Lex::Bot. */
  readonly botLogicalId: string;
  readonly intentName: string;
  readonly slotName: string;
  readonly slotTypeName: string;
}

const PROMPT_ATTEMPTS = ['Initial', 'Retry1', 'Retry2', 'Retry3', 'Retry4', 'Retry5'];

/**
 * The short-answer slots (types `SHORT_ANSWER_SLOT_TYPES`) of every bot that an `AWS::Connect::IntegrationAssociation`
 * (LEX_BOT) associates through one of its aliases, whose end silence is Lex's default: neither the slot's own
 * `AudioSpecification.EndTimeoutMs` nor an `x-amz-lex:audio:end-timeout-ms` session attribute in a contact flow of
 * the template (for the intent and slot, or a wildcard) sets it below 600 ms.
 */
export function shortAnswersAtDefault(model: TemplateModel): ShortAnswerAtDefault[] {
  const voiceBots = new Set<string>();
  for (const association of model.ofType('AWS::Connect::IntegrationAssociation')) {
    if (flatten(association.properties.IntegrationType) !== 'LEX_BOT') continue;
    const alias = model.get(refTarget(association.properties.IntegrationArn), 'AWS::Lex::BotAlias');
    const bot = alias && refTarget(alias.properties.BotId);
    if (bot) voiceBots.add(bot);
  }
  const flowSettings = endSilenceSettings(model);
  const found: ShortAnswerAtDefault[] = [];
  for (const botLogicalId of voiceBots) {
    const bot = model.get(botLogicalId, 'AWS::Lex::Bot');
    const locales = bot?.properties.BotLocales;
    for (const locale of Array.isArray(locales) ? locales : []) {
      const intents = dig(locale, 'Intents');
      for (const intent of Array.isArray(intents) ? intents : []) {
        const intentName = flatten(dig(intent, 'Name'));
        const slots = dig(intent, 'Slots');
        for (const slot of Array.isArray(slots) ? slots : []) {
          const slotTypeName = flatten(dig(slot, 'SlotTypeName'));
          if (!SHORT_ANSWER_SLOT_TYPES.includes(slotTypeName)) continue;
          const slotName = flatten(dig(slot, 'Name'));
          if (slotEndSilenceShortened(slot) || flowShortens(flowSettings, intentName, slotName)) continue;
          found.push({ botLogicalId, intentName, slotName, slotTypeName });
        }
      }
    }
  }
  return found;
}

/** Whether the slot's own prompt attempts set an end silence below Lex's default. */
function slotEndSilenceShortened(slot: unknown): boolean {
  const attempts = dig(slot, 'ValueElicitationSetting', 'PromptSpecification', 'PromptAttemptsSpecification');
  if (!isObject(attempts)) return false;
  const values = PROMPT_ATTEMPTS.map((a) => Number(dig(attempts, a, 'AudioAndDtmfInputSpecification', 'AudioSpecification', 'EndTimeoutMs')));
  return values.some((v) => Number.isFinite(v) && v < LEX_VOICE_SETTINGS.endSilenceMs.lexDefault);
}

/** Every `x-amz-lex:audio:end-timeout-ms:<intent>:<slot>` value the template's contact flows pass, by intent:slot. */
function endSilenceSettings(model: TemplateModel): Map<string, number> {
  const settings = new Map<string, number>();
  const key = LEX_VOICE_SETTINGS.endSilenceMs.key.replace(/[-:]/g, (c) => `\\${c}`);
  const pattern = new RegExp(`"${key}:([^":]+):([^"]+)"\\s*:\\s*"(\\d+)"`, 'g');
  for (const flow of model.ofType('AWS::Connect::ContactFlow')) {
    for (const m of flatten(flow.properties.Content).matchAll(pattern)) {
      const value = Number(m[3]);
      const at = `${m[1]}:${m[2]}`;
      settings.set(at, Math.min(value, settings.get(at) ?? value));
    }
  }
  return settings;
}

/** Whether a flow's setting that applies to the intent and slot (Lex picks the most specific) is below the default. */
function flowShortens(settings: Map<string, number>, intentName: string, slotName: string): boolean {
  for (const at of [`${intentName}:${slotName}`, `${intentName}:*`, `*:${slotName}`, '*:*']) {
    const value = settings.get(at);
    if (value !== undefined) return value < LEX_VOICE_SETTINGS.endSilenceMs.lexDefault;
  }
  return false;
}

/** The rule's explanation, with the project's default named. */
export const SHORT_ANSWER_RULE_EXPLANATION = 'On a call Lex waits its end-of-speech silence (600 ms by default) after '
  + 'every answer before the bot can reply; a yes/no or a number has no pause inside it, so that wait is pure delay. '
  + `Fix: pass x-amz-lex:audio:end-timeout-ms:<intent>:<slot> (LexCallFlow does, ${DEFAULT_SHORT_ANSWER_END_SILENCE_MS} ms for `
  + 'AMAZON.Confirmation and AMAZON.Number slots, or set voiceTiming) or the slot\'s AudioSpecification.EndTimeoutMs '
  + 'below 600 ms (Lex V2 developer guide, "Configuring timeouts for capturing user input").';
