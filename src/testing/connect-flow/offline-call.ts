// An outbound call answered offline: the synthesized Connect flow walked for the call's contact attributes, and each
// hand-over to the bot played as voice turns on the offline Lex runtime, as Connect's voice channel sends them.
import { lexId } from '../lex-stand-in/bot-model';
import type { LexStandIn, VoiceTurnResult } from '../lex-stand-in';
import { connectFlowFromTemplate } from './from-template';
import { runConnectFlow, type ConnectFlowCall } from './interpreter';

/** One thing the callee said and what the bot answered. */
export interface OfflineCallTurn {
  readonly said: string;
  readonly result: VoiceTurnResult;
  /** What the bot said (its messages, joined). */
  readonly answer: string;
}

/** Options of `answerCallOffline`. */
export interface OfflineCallOptions {
  /** The synthesized template with the `AWS::Connect::ContactFlow` and the bot alias it names. */
  readonly template: { Resources?: Record<string, unknown> };
  /** The offline Lex runtime serving that bot alias (`startLexStandIn` on the same assembly). */
  readonly lex: LexStandIn;
  /** The contact's attributes, as StartOutboundVoiceContact set them: the flow's `$.Attributes.*`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The Lex session id of the call (Connect uses the contact id). */
  readonly contactId: string;
  /**
   * What the callee says next, given what was spoken last (the flow's prompt or the bot's answer) and how many turns
   * the call has had; undefined is silence, which ends the bot's part of the call (`InputTimeLimitExceeded`).
   */
  readonly callee: (lastSpoken: string, turn: number) => string | undefined;
  /** Called after each voice turn, e.g. to print it. @default - none */
  readonly onTurn?: (turn: OfflineCallTurn) => void | Promise<void>;
  /** The stack's Region and account, as the alias ARN in the flow resolves. @default 'us-east-1', '123456789012' */
  readonly region?: string;
  readonly account?: string;
}

/** The call as Connect ran it, with the voice turns of each conversation with the bot. */
export interface OfflineCall extends ConnectFlowCall {
  readonly turns: OfflineCallTurn[];
}

/**
 * Runs an outbound call through the synthesized flow: the flow's actions in order, its `$.Attributes.*` from the call,
 * and at each ConnectParticipantWithLexBot a voice conversation with `lex`, with the session attributes the flow
 * passes. The call fails, with the reason, when the flow names another bot alias than the one `lex` serves, lacks the
 * `interactionKey` session attribute, or has a transition to nowhere.
 */
export async function answerCallOffline(options: OfflineCallOptions): Promise<OfflineCall> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  // Name each bot alias as the offline Lex runtime does, so the ARN in the flow says which alias it is.
  const { flow } = connectFlowFromTemplate(options.template, {
    region,
    account,
    botAliasArn: (botLogicalId, aliasLogicalId) => `arn:aws:lex:${region}:${account}:bot-alias/${lexId(`bot:${botLogicalId}`)}/${lexId(`alias:${aliasLogicalId}`)}`,
  });
  const served = `arn:aws:lex:${region}:${account}:bot-alias/${options.lex.botId}/${options.lex.botAliasId}`;

  const turns: OfflineCallTurn[] = [];
  const call = await runConnectFlow({
    flow,
    attributes: options.attributes,
    // Only the alias the offline runtime serves is associated: a flow that names another bot fails the call.
    botAliasArns: [served],
    lex: async (_aliasArn, sessionAttributes, prompt) => {
      let lastSpoken = prompt ?? turns.at(-1)?.answer ?? '';
      for (;;) {
        const said = options.callee(lastSpoken, turns.length);
        if (said === undefined) return { error: 'InputTimeLimitExceeded' };
        const result = await options.lex.voiceTurn({ sessionId: options.contactId, transcript: said, sessionAttributes });
        const answer = result.messages.map((m) => ('content' in m && typeof m.content === 'string' ? m.content : '')).join(' ');
        const turn = { said, result, answer };
        turns.push(turn);
        await options.onTurn?.(turn);
        const state = result.sessionState as { dialogAction?: { type?: string }; intent?: { name?: string } };
        // Connect's Lex block returns when the bot closes an intent; everything else is the bot asking for more.
        if (state.dialogAction?.type === 'Close') return { intentName: state.intent?.name };
        lastSpoken = answer;
      }
    },
  });
  return { ...call, turns };
}
