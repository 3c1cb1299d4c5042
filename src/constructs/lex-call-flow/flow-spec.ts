// The generated flow's words and behaviour from LexCallFlowProps: defaults applied, each value checked with an error
// that names the prop and the fix.
import { DEFAULT_APOLOGY, DEFAULT_FALLBACK_INTENTS } from '../../shared/defaults';
import type { LexCallFlowSpec } from './flow-builder';
import type { LexCallFlowProps } from './lex-call-flow';
import { checkShortAnswerEndSilence, voiceTimingAttributes } from './voice-timing';

const ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,127}$/;
const MAX_RE_ASKS = 5;
/** Follow-up questions a generated flow offers at most: each is one action, and a flow holds at most 250. */
const MAX_FOLLOW_UPS = 20;
/** What a generated flow says first when `greeting` is not set: a call never starts in silence. */
export const DEFAULT_CALL_GREETING = 'Hello, this is an automated assistant calling.';
/** The question a generated flow asks as the bot starts listening when `prompt` is not set. */
export const DEFAULT_CALL_PROMPT = 'How can I help you today?';

/** The flow's spec from the props; throws on a value Connect or Lex would refuse. */
export function generatedSpec(where: string, props: LexCallFlowProps, aliasArn: string): LexCallFlowSpec {
  const sessionAttributes = props.sessionAttributes ?? { interactionKey: 'interactionKey' };
  for (const [key, attribute] of Object.entries(sessionAttributes)) {
    if (key.length === 0 || key.startsWith('x-amz-lex:')) {
      throw new Error(`${where}: 'sessionAttributes' key '${key}' must be non-empty and outside the reserved x-amz-lex: namespace (voice settings such as barge-in have their own props).`);
    }
    if (!ATTRIBUTE_NAME.test(attribute)) {
      throw new Error(`${where}: 'sessionAttributes' maps '${key}' to contact attribute '${attribute}'; use letters, digits, '_' or '-' (1-127 characters) so $.Attributes.${attribute} is a valid reference.`);
    }
  }
  const maxReAsks = props.maxReAsks ?? 2;
  if (!Number.isInteger(maxReAsks) || maxReAsks < 0 || maxReAsks > MAX_RE_ASKS) {
    throw new Error(`${where}: 'maxReAsks' must be a whole number from 0 to ${MAX_RE_ASKS}, got ${maxReAsks}.`);
  }
  const followUps = props.followUpQuestions ?? 0;
  if (!Number.isInteger(followUps) || followUps < 0 || followUps > MAX_FOLLOW_UPS) {
    throw new Error(`${where}: 'followUpQuestions' must be a whole number from 0 to ${MAX_FOLLOW_UPS}, got ${followUps}.`);
  }
  checkShortAnswerEndSilence(where, props.shortAnswerEndSilence);
  const noMatchIntents = props.noMatchIntentNames ?? [...DEFAULT_FALLBACK_INTENTS];
  for (const text of [props.greeting, props.prompt, props.reAskPrompt, props.noMatchMessage, props.errorMessage, props.goodbye]) {
    if (text !== undefined && text.trim() === '') {
      throw new Error(`${where}: spoken texts (greeting, prompt, reAskPrompt, noMatchMessage, errorMessage, goodbye) must not be empty; leave a prop out for its default.`);
    }
  }
  return {
    aliasArn,
    greeting: props.greeting ?? DEFAULT_CALL_GREETING,
    prompt: props.prompt ?? DEFAULT_CALL_PROMPT,
    sessionAttributes,
    bargeIn: props.bargeIn ?? true,
    voiceAttributes: voiceTimingAttributes(where, props.voiceTiming ?? []),
    noMatchIntents,
    maxReAsks,
    reAskPrompt: props.reAskPrompt ?? DEFAULT_APOLOGY,
    noMatchMessage: props.noMatchMessage ?? "Sorry, I still couldn't understand. Goodbye.",
    errorMessage: props.errorMessage ?? 'Sorry, something went wrong on our side. Please try again later. Goodbye.',
    goodbye: props.goodbye ?? 'Thank you for your time. Goodbye.',
    followUps,
    followUpPrompt: props.followUpPrompt ?? 'Is there anything else I can help you with?',
  };
}
