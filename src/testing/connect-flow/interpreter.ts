// Answers an Amazon Connect flow offline: walks its actions from StartAction as Connect would for one contact, and hands
// each ConnectParticipantWithLexBot to a caller-supplied Lex conversation.
import { flowProblems } from '../../constructs/lex-call-flow/flow-validator';

/** How a Lex conversation handed over by the flow ended, as Connect sees it. */
export interface ConnectLexOutcome {
  /** The intent the bot returned when the conversation closed (matched against the action's `Conditions`). */
  readonly intentName?: string;
  /**
   * The bot failed (`NoMatchingError`), or, on a chat contact only, the customer typed nothing within the block's
   * `LexTimeoutSeconds` (`InputTimeLimitExceeded`). A silent caller on a voice contact is Lex's to handle (re-prompts,
   * then the fallback intent): a voice conversation never ends with `InputTimeLimitExceeded`.
   */
  readonly error?: 'InputTimeLimitExceeded' | 'NoMatchingError';
  /** The caller hung up during the conversation: the contact ends there, as Connect ends a disconnected contact. */
  readonly disconnected?: boolean;
}

/**
 * The conversation at a ConnectParticipantWithLexBot action: the bot alias ARN the flow names, the Lex session
 * attributes it passes (resolved), and the prompt Connect speaks as the bot starts listening.
 */
export type ConnectLexConversation = (
  aliasArn: string,
  sessionAttributes: Record<string, string>,
  prompt: string | undefined,
) => ConnectLexOutcome | Promise<ConnectLexOutcome>;

/** Options of `runConnectFlow`. */
export interface RunConnectFlowOptions {
  /** The flow document (resolved: no CloudFormation tokens), as an object or JSON text. */
  readonly flow: unknown;
  /** The contact's attributes (StartOutboundVoiceContact `Attributes`): `$.Attributes.<name>` in the flow. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The Lex conversation at each ConnectParticipantWithLexBot action. */
  readonly lex: ConnectLexConversation;
  /**
   * The bot alias ARNs associated with the instance; a flow naming another fails the call.
   * @default - any alias is accepted
   */
  readonly botAliasArns?: readonly string[];
  /**
   * Lex session attribute keys every ConnectParticipantWithLexBot must pass (the bot reads the call by them).
   * @default ['interactionKey']
   */
  readonly requiredSessionAttributes?: readonly string[];
  /** Other contact data the flow may reference (`$.CustomerEndpoint.Address`...). @default - none */
  readonly contactData?: Readonly<Record<string, unknown>>;
  /** Most actions walked before the call fails as a loop. @default 500 */
  readonly maxSteps?: number;
}

/** One action the contact went through. */
export interface ConnectFlowStep {
  readonly identifier: string;
  readonly type: string;
  /** The branch taken: 'NextAction', `Condition <operand>` or `Error <ErrorType>`. */
  readonly branch?: string;
}

/** The offline call: how it ended and what the caller went through. */
export interface ConnectFlowCall {
  readonly status: 'COMPLETED' | 'FAILED';
  /** Why the call failed, as one sentence naming the action. */
  readonly reason?: string;
  /** Who ended the call: the flow (a DisconnectParticipant action) or the caller hanging up. */
  readonly endedBy?: 'flow' | 'caller';
  readonly steps: ConnectFlowStep[];
  /** What Connect spoke (MessageParticipant texts and Lex prompts), in order. */
  readonly spoken: string[];
  /** Each Lex conversation: the alias and the session attributes it got. */
  readonly conversations: Array<{ aliasArn: string; sessionAttributes: Record<string, string> }>;
  /** Whether the flow turned flow logging on. */
  readonly flowLogging: boolean;
  /** The contact attributes at the end (UpdateContactAttributes included). */
  readonly attributes: Record<string, string>;
}

type Action = { Identifier: string; Type: string; Parameters?: Record<string, any>; Transitions?: Record<string, any> };

class CallFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallFailed';
  }
}

/**
 * Runs one contact through the flow. The call fails (status FAILED, with the reason) when the flow breaks a rule
 * Connect enforces (a dangling transition...), names a bot not associated with the instance, omits a required session
 * attribute (or fills it from a contact attribute the contact lacks), or reaches an action this interpreter does not
 * know. The call ends when the flow disconnects or the caller hangs up during a Lex conversation.
 */
export async function runConnectFlow(options: RunConnectFlowOptions): Promise<ConnectFlowCall> {
  const state = {
    steps: [] as ConnectFlowStep[],
    spoken: [] as string[],
    conversations: [] as Array<{ aliasArn: string; sessionAttributes: Record<string, string> }>,
    flowLogging: false,
    attributes: { ...options.attributes },
  };
  const done = (status: 'COMPLETED' | 'FAILED', reason?: string, endedBy?: 'flow' | 'caller'): ConnectFlowCall => ({ status, ...(reason ? { reason } : {}), ...(endedBy ? { endedBy } : {}), ...state });

  let flow: any;
  try {
    flow = typeof options.flow === 'string' ? JSON.parse(options.flow) : options.flow;
  } catch (error) {
    return done('FAILED', `the flow is not valid JSON (${(error as Error).message}).`);
  }
  const problems = flowProblems(flow);
  if (problems.length > 0) return done('FAILED', `Connect would refuse this flow: ${problems.join(' ')}`);

  const actions = new Map<string, Action>((flow.Actions as Action[]).map((a) => [a.Identifier, a]));
  const required = options.requiredSessionAttributes ?? ['interactionKey'];
  const maxSteps = options.maxSteps ?? 500;
  const context = { ...options.contactData, Attributes: state.attributes };
  let current: string | undefined = flow.StartAction;
  try {
    while (current !== undefined) {
      if (state.steps.length >= maxSteps) throw new CallFailed(`the call went through ${maxSteps} actions without ending; the flow loops.`);
      const action = actions.get(current);
      if (!action) throw new CallFailed(`the flow goes to '${current}', which is no action in this flow.`);
      const where = `action '${action.Identifier}' (${action.Type})`;
      const { next, branch, end } = await perform(action, where);
      state.steps.push({ identifier: action.Identifier, type: action.Type, ...(branch ? { branch } : {}) });
      if (end) return done('COMPLETED', undefined, end);
      if (next === undefined) throw new CallFailed(`${where} has no transition for the branch ${branch ?? 'NextAction'}.`);
      current = next;
    }
    return done('FAILED', 'the flow has no StartAction.');
  } catch (error) {
    if (error instanceof CallFailed) return done('FAILED', error.message);
    throw error;
  }

  async function perform(action: Action, where: string): Promise<{ next?: string; branch?: string; end?: 'flow' | 'caller' }> {
    const p = action.Parameters ?? {};
    const t = action.Transitions ?? {};
    switch (action.Type) {
      case 'UpdateFlowLoggingBehavior':
        state.flowLogging = p.FlowLoggingBehavior === 'Enabled';
        return { next: t.NextAction, branch: 'NextAction' };
      case 'UpdateContactTextToSpeechVoice':
      case 'UpdateContactRecordingBehavior':
        return { next: t.NextAction, branch: 'NextAction' };
      case 'UpdateContactAttributes':
        for (const [k, v] of Object.entries((p.Attributes ?? {}) as Record<string, unknown>)) state.attributes[k] = resolve(v, where);
        return { next: t.NextAction, branch: 'NextAction' };
      case 'MessageParticipant':
        state.spoken.push(resolve(p.Text ?? p.SSML ?? (p.PromptId !== undefined ? `[prompt ${p.PromptId}]` : ''), where));
        return { next: t.NextAction, branch: 'NextAction' };
      case 'ConnectParticipantWithLexBot':
        return converse(p, t, where);
      case 'DisconnectParticipant':
        return { end: 'flow' };
      default:
        throw new CallFailed(`${where}: this action type is not interpreted offline.`);
    }
  }

  async function converse(p: Record<string, any>, t: Record<string, any>, where: string): Promise<{ next?: string; branch: string; end?: 'caller' }> {
    const aliasArn = p.LexV2Bot?.AliasArn === undefined ? undefined : resolve(p.LexV2Bot.AliasArn, where);
    if (!aliasArn) throw new CallFailed(`${where} names no Lex V2 bot (Parameters.LexV2Bot.AliasArn).`);
    if (options.botAliasArns && !options.botAliasArns.includes(aliasArn)) {
      throw new CallFailed(`${where} names the bot alias ${aliasArn}, which is not associated with the instance (associated: ${options.botAliasArns.join(', ') || 'none'}).`);
    }
    const sessionAttributes: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.LexSessionAttributes ?? {}) as Record<string, unknown>)) sessionAttributes[k] = resolve(v, where);
    for (const key of required) {
      if (!(key in sessionAttributes)) throw new CallFailed(`${where} passes no Lex session attribute '${key}'; the bot cannot tell which call this is.`);
      if (sessionAttributes[key] === '') throw new CallFailed(`${where} passes the Lex session attribute '${key}' empty (the contact lacks the attribute it is filled from); the bot cannot tell which call this is.`);
    }
    const prompt = p.Text ?? p.SSML;
    const promptText = prompt === undefined ? undefined : resolve(prompt, where);
    if (promptText !== undefined) state.spoken.push(promptText);
    state.conversations.push({ aliasArn, sessionAttributes });

    let outcome: ConnectLexOutcome;
    try {
      outcome = await options.lex(aliasArn, sessionAttributes, promptText);
    } catch {
      outcome = { error: 'NoMatchingError' };
    }
    const errorBranch = (type: string) => ({ next: (t.Errors ?? []).find((e: any) => e.ErrorType === type)?.NextAction, branch: `Error ${type}` });
    if (outcome.disconnected) return { branch: 'Disconnected', end: 'caller' };
    if (outcome.error) return errorBranch(outcome.error);
    const conditions = (t.Conditions ?? []) as Array<{ NextAction: string; Condition: { Operator: string; Operands: string[] } }>;
    const matched = conditions.find((c) => c.Condition?.Operator === 'Equals' && c.Condition.Operands?.includes(outcome.intentName ?? ''));
    if (matched) return { next: matched.NextAction, branch: `Condition ${outcome.intentName}` };
    if (conditions.length > 0) return errorBranch('NoMatchingCondition');
    return { next: t.NextAction, branch: 'NextAction' };
  }

  /**
   * A parameter value: a whole `$.<path>` reference resolves against the contact, else it is literal. A contact
   * attribute the contact lacks reads as empty text: no Connect document says a contact fails on one, and flows
   * reference attributes freely. Another missing path (`$.Foo`) fails the call: it is a typo, not a missing value.
   */
  function resolve(value: unknown, where: string): string {
    if (typeof value !== 'string') return String(value);
    const ref = /^\$\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)$/.exec(value);
    if (!ref) return value;
    const path = ref[1].split('.');
    let v: unknown = context;
    for (const key of path) v = (v as Record<string, unknown> | undefined)?.[key];
    if ((v === undefined || v === null) && path[0] === 'Attributes' && path.length === 2) return '';
    if (v === undefined || v === null) {
      const attribute = path[0] === 'Attributes' ? `the contact attribute '${path.slice(1).join('.')}'` : `'${value}'`;
      throw new CallFailed(`${where} references ${attribute}, which the contact does not have.`);
    }
    return String(v);
  }
}
