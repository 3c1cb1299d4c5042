// Builds the Connect flow (Flow language) that hands an outbound call to a Lex V2 bot and ends it cleanly.
import { LEX_ALLOW_INTERRUPT_PREFIX, voiceSettingKey } from '../../shared/lex-voice';
import { FLOW_LANGUAGE_VERSION } from './flow-validator';

/** What the flow says and does; every text is spoken by Connect's text-to-speech. */
export interface LexCallFlowSpec {
  readonly aliasArn: string;
  /** Spoken by Connect before the bot (a MessageParticipant): Lex V2 says nothing until it has recognised an intent. */
  readonly greeting: string;
  /** Spoken as the bot starts listening (the Lex block's Text). */
  readonly prompt: string;
  /** Lex session attribute name -> contact attribute name. */
  readonly sessionAttributes: Record<string, string>;
  readonly bargeIn: boolean;
  /** Lex voice settings (`x-amz-lex:audio:*`, `x-amz-lex:dtmf:*` keys) passed as session attributes. */
  readonly voiceAttributes: Record<string, string>;
  readonly noMatchIntents: string[];
  readonly maxReAsks: number;
  readonly reAskPrompt: string;
  readonly noMatchMessage: string;
  readonly errorMessage: string;
  readonly goodbye: string;
  /** Questions the caller may ask after the first one; 0 ends the call once the bot closes the first intent. */
  readonly followUps: number;
  readonly followUpPrompt: string;
}

/** Action identifiers of the generated flow (all within the Flow language's limits). */
export const FLOW_ACTION_IDS = {
  logging: 'EnableFlowLogging',
  greeting: 'Greeting',
  ask: 'AskBot',
  reAsk: (n: number) => `ReAsk${n}`,
  followUp: (n: number) => `FollowUp${n}`,
  noMatch: 'NoMatchGoodbye',
  error: 'ErrorApology',
  goodbye: 'Goodbye',
  disconnect: 'Disconnect',
} as const;

/**
 * Lex V2 session attribute that turns barge-in on or off for every intent and slot (`*:*`). Lex V2 allows barge-in by
 * default; `x-amz-lex:barge-in-enabled` is the Lex Classic key and does nothing on a V2 bot (Connect admin guide, Get
 * customer input, "Barge-in configuration and usage for Amazon Lex").
 */
export const BARGE_IN_ATTRIBUTE = voiceSettingKey(LEX_ALLOW_INTERRUPT_PREFIX);

type Action = Record<string, unknown>;

/**
 * The flow document: logging on, the greeting, the bot (with `maxReAsks` re-asks when it returns a no-match intent,
 * then up to `followUps` further questions), a spoken apology on any error, a goodbye, and a hang-up.
 *
 * Silence is Lex's on a voice call: Lex waits its start timeout (`x-amz-lex:audio:start-timeout-ms`), re-prompts the
 * slot or question with the bot's own prompts, and then hands the turn to the fallback intent, which the block returns
 * like any closed intent. Connect's `InputTimeLimitExceeded` is the chat timeout (`LexTimeoutSeconds`), so the voice
 * block carries only `NoMatchingCondition` and `NoMatchingError`, as a flow exported from the Connect console does.
 */
export function buildLexCallFlow(spec: LexCallFlowSpec): Record<string, unknown> {
  const ids = FLOW_ACTION_IDS;
  const actions: Action[] = [];
  actions.push({
    Identifier: ids.logging,
    Type: 'UpdateFlowLoggingBehavior',
    Parameters: { FlowLoggingBehavior: 'Enabled' },
    Transitions: { NextAction: ids.greeting },
  });
  actions.push(message(ids.greeting, spec.greeting, ids.ask, ids.ask));

  const lexAttributes: Record<string, string> = {};
  for (const [lexKey, contactAttribute] of Object.entries(spec.sessionAttributes)) {
    lexAttributes[lexKey] = `$.Attributes.${contactAttribute}`;
  }
  lexAttributes[BARGE_IN_ATTRIBUTE] = spec.bargeIn ? 'true' : 'false';
  Object.assign(lexAttributes, spec.voiceAttributes);

  const bot = (id: string, text: string, done: string, onNoMatch: string): Action => ({
    Identifier: id,
    Type: 'ConnectParticipantWithLexBot',
    Parameters: {
      Text: text,
      LexV2Bot: { AliasArn: spec.aliasArn },
      LexSessionAttributes: lexAttributes,
    },
    Transitions: {
      NextAction: done,
      Conditions: spec.noMatchIntents.map((intent) => ({
        NextAction: onNoMatch,
        Condition: { Operator: 'Equals', Operands: [intent] },
      })),
      Errors: [
        // An intent outside the conditions is a finished conversation.
        { NextAction: done, ErrorType: 'NoMatchingCondition' },
        { NextAction: ids.error, ErrorType: 'NoMatchingError' },
      ],
    },
  });
  // Once the bot has closed an intent: another question (up to `followUps`), else the goodbye.
  const afterAnswer = (question: number) => (question <= spec.followUps ? ids.followUp(question) : ids.goodbye);
  for (let attempt = 0; attempt <= spec.maxReAsks; attempt++) {
    const id = attempt === 0 ? ids.ask : ids.reAsk(attempt);
    const onNoMatch = attempt < spec.maxReAsks ? ids.reAsk(attempt + 1) : ids.noMatch;
    actions.push(bot(id, attempt === 0 ? spec.prompt : spec.reAskPrompt, afterAnswer(1), onNoMatch));
  }
  // After a follow-up prompt the fallback intent is a caller who said nothing (Lex's re-prompts went unanswered) or
  // nothing the bot knows: the call ends with the goodbye rather than asking again.
  for (let question = 1; question <= spec.followUps; question++) {
    actions.push(bot(ids.followUp(question), spec.followUpPrompt, afterAnswer(question + 1), ids.goodbye));
  }
  actions.push(message(ids.noMatch, spec.noMatchMessage, ids.disconnect, ids.disconnect));
  actions.push(message(ids.error, spec.errorMessage, ids.disconnect, ids.disconnect));
  actions.push(message(ids.goodbye, spec.goodbye, ids.disconnect, ids.disconnect));
  actions.push({ Identifier: ids.disconnect, Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} });

  return { Version: FLOW_LANGUAGE_VERSION, StartAction: ids.logging, Actions: actions };
}

function message(id: string, text: string, next: string, onError: string): Action {
  return {
    Identifier: id,
    Type: 'MessageParticipant',
    Parameters: { Text: text },
    Transitions: { NextAction: next, Errors: [{ NextAction: onError, ErrorType: 'NoMatchingError' }] },
  };
}
