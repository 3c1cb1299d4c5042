// Builds the Connect flow (Flow language) that hands an outbound call to a Lex V2 bot and ends it cleanly.
import { FLOW_LANGUAGE_VERSION } from './flow-validator';

/** What the flow says and does; every text is spoken by Connect's text-to-speech. */
export interface LexCallFlowSpec {
  readonly aliasArn: string;
  readonly greeting?: string;
  readonly prompt?: string;
  /** Lex session attribute name -> contact attribute name. */
  readonly sessionAttributes: Record<string, string>;
  readonly bargeIn: boolean;
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

/** Lex V2 session attribute that turns barge-in on or off for every intent and slot (`*:*`). */
export const BARGE_IN_ATTRIBUTE = 'x-amz-lex:barge-in-enabled:*:*';

type Action = Record<string, unknown>;

/**
 * The flow document: logging on, optional greeting, the bot (with `maxReAsks` re-asks when it returns a no-match intent
 * or the caller stays silent, then up to `followUps` further questions), a spoken apology on any error, a goodbye, and
 * a hang-up.
 */
export function buildLexCallFlow(spec: LexCallFlowSpec): Record<string, unknown> {
  const ids = FLOW_ACTION_IDS;
  const actions: Action[] = [];
  const first = spec.greeting ? ids.greeting : ids.ask;
  actions.push({
    Identifier: ids.logging,
    Type: 'UpdateFlowLoggingBehavior',
    Parameters: { FlowLoggingBehavior: 'Enabled' },
    Transitions: { NextAction: first },
  });
  if (spec.greeting) actions.push(message(ids.greeting, spec.greeting, ids.ask, ids.ask));

  const lexAttributes: Record<string, string> = {};
  for (const [lexKey, contactAttribute] of Object.entries(spec.sessionAttributes)) {
    lexAttributes[lexKey] = `$.Attributes.${contactAttribute}`;
  }
  lexAttributes[BARGE_IN_ATTRIBUTE] = spec.bargeIn ? 'true' : 'false';

  const bot = (id: string, text: string | undefined, done: string, onNoMatch: string, onSilence: string): Action => ({
    Identifier: id,
    Type: 'ConnectParticipantWithLexBot',
    Parameters: {
      ...(text ? { Text: text } : {}),
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
        { NextAction: onSilence, ErrorType: 'InputTimeLimitExceeded' },
        { NextAction: ids.error, ErrorType: 'NoMatchingError' },
      ],
    },
  });
  // Once the bot has closed an intent: another question (up to `followUps`), else the goodbye.
  const afterAnswer = (question: number) => (question <= spec.followUps ? ids.followUp(question) : ids.goodbye);
  for (let attempt = 0; attempt <= spec.maxReAsks; attempt++) {
    const id = attempt === 0 ? ids.ask : ids.reAsk(attempt);
    const onNoMatch = attempt < spec.maxReAsks ? ids.reAsk(attempt + 1) : ids.noMatch;
    actions.push(bot(id, attempt === 0 ? spec.prompt : spec.reAskPrompt, afterAnswer(1), onNoMatch, onNoMatch));
  }
  // A follow-up the bot did not understand counts as a question; silence means the caller is done.
  for (let question = 1; question <= spec.followUps; question++) {
    actions.push(bot(ids.followUp(question), spec.followUpPrompt, afterAnswer(question + 1), afterAnswer(question + 1), ids.goodbye));
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
