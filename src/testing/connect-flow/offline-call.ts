// An outbound call answered offline: the synthesized Connect flow walked for the call's contact attributes, and each
// hand-over to the bot played as voice turns on the offline Lex runtime, as Connect's voice channel sends them.
import { LEX_ALLOW_INTERRUPT_PREFIX, LEX_VOICE_SETTINGS, effectiveVoiceSetting } from '../../shared/lex-voice';
import { lexId } from '../lex-stand-in/bot-model';
import type { LexStandIn, VoiceTurnResult } from '../lex-stand-in';
import { connectFlowFromTemplate } from './from-template';
import { runConnectFlow, type ConnectFlowCall } from './interpreter';

/** What the callee does at a turn besides speaking: press keys, or hang up. */
export type OfflineCalleeAction = { readonly keys: string } | { readonly hangUp: true };

/** One thing the callee said (or keyed, or did not say) and what the bot answered. */
export interface OfflineCallTurn {
  /** What the callee said; '' when they stayed silent, the keys when they pressed keys. */
  readonly said: string;
  /** How the callee answered: speech, keypad (DTMF) or silence (Lex's start timeout ran out). */
  readonly input: 'speech' | 'keypad' | 'silence';
  readonly result: VoiceTurnResult;
  /** What the bot said (its messages, joined). */
  readonly answer: string;
  /**
   * How long Lex listened before it acted on the turn, ms, from the flow's voice settings for the intent and slot the
   * turn answered: after speech its end-of-speech silence (`x-amz-lex:audio:end-timeout-ms`, Lex's 600 ms by default),
   * after silence its start timeout, after keys its keypad end timeout (0 when the last key is the end character).
   * A voice turn's time, counted from the end of the callee's speech, is this plus the bot's processing time.
   */
  readonly lexWaitMs: number;
  /** Whether the callee could interrupt the prompt this turn answered (`x-amz-lex:allow-interrupt`, on by default). */
  readonly bargeIn: boolean;
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
   * the call has had: words, `{ keys }` for the keypad, `{ hangUp: true }`, or undefined for silence. Silence is played
   * as Lex hears it on a call: a turn with no words, which Lex re-prompts (a slot, a confirmation) and then hands to the
   * fallback intent, never Connect's chat-only `InputTimeLimitExceeded`.
   */
  readonly callee: (lastSpoken: string, turn: number) => string | OfflineCalleeAction | undefined;
  /** Most voice turns before the call fails as a loop (a callee who never hangs up on a bot that never closes). @default 50 */
  readonly maxTurns?: number;
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
 * passes (voice settings included: each turn says how long Lex listened and whether barge-in was on). The call fails, with the reason, when the flow names another bot alias than the one `lex` serves, lacks the
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
  const maxTurns = options.maxTurns ?? 50;
  let looped = false;
  const call = await runConnectFlow({
    flow,
    attributes: options.attributes,
    // Only the alias the offline runtime serves is associated: a flow that names another bot fails the call.
    botAliasArns: [served],
    lex: async (_aliasArn, sessionAttributes, prompt) => {
      let lastSpoken = prompt ?? turns.at(-1)?.answer ?? '';
      // What Lex asked last (the slot it elicits), which picks the voice settings of the next turn.
      let asking = { intent: undefined as string | undefined, slot: undefined as string | undefined };
      for (;;) {
        if (turns.length >= maxTurns) { looped = true; return { disconnected: true }; }
        const action = options.callee(lastSpoken, turns.length);
        if (typeof action === 'object' && 'hangUp' in action) return { disconnected: true };
        const keys = typeof action === 'object' ? action.keys : undefined;
        const said = typeof action === 'string' ? action : keys ?? '';
        const input = keys !== undefined ? 'keypad' : said === '' ? 'silence' : 'speech';
        const setting = (s: { key: string; lexDefault: number }) => Number(effectiveVoiceSetting(sessionAttributes, s.key, asking.intent, asking.slot) ?? s.lexDefault);
        const endCharacter = effectiveVoiceSetting(sessionAttributes, LEX_VOICE_SETTINGS.keypadEndCharacter.key, asking.intent, asking.slot) ?? LEX_VOICE_SETTINGS.keypadEndCharacter.lexDefault;
        const lexWaitMs = input === 'speech' ? setting(LEX_VOICE_SETTINGS.endSilenceMs)
          : input === 'silence' ? setting(LEX_VOICE_SETTINGS.startTimeoutMs)
            : said.endsWith(endCharacter) ? 0 : setting(LEX_VOICE_SETTINGS.keypadEndTimeoutMs);
        const bargeIn = effectiveVoiceSetting(sessionAttributes, LEX_ALLOW_INTERRUPT_PREFIX, asking.intent, asking.slot) !== 'false';
        const transcript = keys !== undefined && said.endsWith(endCharacter) ? said.slice(0, -endCharacter.length) : said;
        const result = await options.lex.voiceTurn({ sessionId: options.contactId, transcript, sessionAttributes, ...(keys !== undefined ? { inputMode: 'DTMF' as const } : {}) });
        const answer = result.messages.map((m) => ('content' in m && typeof m.content === 'string' ? m.content : '')).join(' ');
        const turn: OfflineCallTurn = { said, input, result, answer, lexWaitMs, bargeIn };
        turns.push(turn);
        await options.onTurn?.(turn);
        const state = result.sessionState as { dialogAction?: { type?: string; slotToElicit?: string }; intent?: { name?: string } };
        // Connect's Lex block returns when the bot closes an intent; everything else is the bot asking for more.
        if (state.dialogAction?.type === 'Close') return { intentName: state.intent?.name };
        asking = { intent: state.intent?.name, slot: state.dialogAction?.slotToElicit };
        lastSpoken = answer;
      }
    },
  });
  if (looped) return { ...call, status: 'FAILED', reason: `the call had ${maxTurns} voice turns without the bot closing an intent or the callee hanging up; the conversation loops.`, turns };
  return { ...call, turns };
}
