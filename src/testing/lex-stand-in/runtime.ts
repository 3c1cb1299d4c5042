// The Lex V2 runtime operations the stand-in serves (RecognizeText, PutSession, GetSession, DeleteSession, and voice
// turns as Amazon Connect sends them) over sessions kept per id with the bot's idle TTL, every turn recorded.
import type { LexMessage } from '../../runtime/lex/types';
import { DEFAULT_IDLE_SESSION_TTL_SECONDS, type LexBotDefinition } from './bot-model';
import type { EventInterpretation } from './code-hook';
import { runTurn, type CodeHookCall, type LexSession, type TurnInput } from './dialog';
import { LexStandInError, type LexRuntimeErrorType } from './errors';

/** Lex's limit on a RecognizeText `text` (and on a message's content). */
export const MAX_TEXT_LENGTH = 1024;

/** A fulfillment start or update message, played while the fulfillment code hook runs. */
export interface LexProgressMessage {
  readonly kind: 'start' | 'update';
  /** Milliseconds since the fulfillment code hook was invoked. */
  readonly atMs: number;
  readonly messages: readonly LexMessage[];
}

/** One conversation turn (RecognizeText or a voice turn), with what it sent the code hook. */
export interface LexTurnRecord {
  readonly operation: 'RecognizeText' | 'VoiceTurn';
  readonly sessionId: string;
  readonly localeId: string;
  readonly inputMode: 'Text' | 'Speech' | 'DTMF';
  readonly text: string;
  /** The answer, as the runtime API returns it; absent when the turn failed. */
  readonly response?: RuntimeTurnResponse;
  /** The error the turn ended with (the session is as it was before the turn). */
  readonly error?: { readonly type: LexRuntimeErrorType; readonly message: string };
  /** Every code hook invocation of the turn: the event sent and the answer (or the error). */
  readonly codeHookCalls: readonly CodeHookCall[];
  /** Fulfillment start/update messages played during the turn (voice turns only). */
  readonly progress: readonly LexProgressMessage[];
}

/** A RecognizeText response body (Lex V2 API reference, RecognizeText "Response Syntax"). */
export interface RuntimeTurnResponse {
  readonly sessionId: string;
  readonly messages: LexMessage[];
  readonly sessionState: Record<string, unknown>;
  readonly interpretations: Array<{ intent: unknown; nluConfidence?: { score: number }; interpretationSource: 'Lex' }>;
  readonly requestAttributes?: Record<string, string>;
}

/** A voice turn as Amazon Connect's voice channel sends it to the bot. */
export interface VoiceTurnRequest {
  readonly sessionId: string;
  /** What the caller said, as the transcription reached Lex (or the keys pressed, with inputMode DTMF). */
  readonly transcript: string;
  /** `Speech`, or `DTMF` for keypad input (no transcription). @default 'Speech' */
  readonly inputMode?: 'Speech' | 'DTMF';
  /** @default 0.9 */
  readonly transcriptionConfidence?: number;
  /**
   * Session attributes the contact flow sets (Connect's "Session attributes" of Get customer input): a value the flow
   * sends again unchanged does not override what the code hook wrote. @default - none
   */
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  /** More request attributes; `x-amz-lex:channels:platform` is always `Connect`. @default - none */
  readonly requestAttributes?: Readonly<Record<string, string>>;
  /** @default - the bot's first locale */
  readonly localeId?: string;
  /** Called with each fulfillment start/update message as it plays. @default - none */
  readonly onProgress?: (message: LexProgressMessage) => void;
}

/** A voice turn's answer: what the caller hears, and the progress messages played while fulfillment ran. */
export interface VoiceTurnResult extends RuntimeTurnResponse {
  readonly progress: readonly LexProgressMessage[];
}

/** The runtime of one bot alias. */
export class LexRuntime {
  readonly turns: LexTurnRecord[] = [];
  private readonly sessions = new Map<string, LexSession>();
  private readonly failures: Array<{ type: LexRuntimeErrorType; message: string }> = [];
  /** Sessions with a turn in progress: a second turn meanwhile is a ConflictException. */
  private readonly inFlight = new Set<string>();
  private requests = 0;

  constructor(readonly bot: LexBotDefinition & { botId: string; botAliasId: string },
    private readonly settings: { codeHookTimeoutMs: number; secondMs: number; clock: () => number; random: () => number }) {}

  /** Makes the next `count` runtime requests fail with `type` (e.g. ThrottlingException). */
  failNext(type: LexRuntimeErrorType, count = 1, message = defaultMessage(type)): void {
    for (let i = 0; i < count; i++) this.failures.push({ type, message });
  }

  /** Checks the path's ids and a scripted failure; every operation starts here. */
  check(botId: string, botAliasId: string, localeId: string, sessionId: string): void {
    const failure = this.failures.shift();
    if (failure) throw new LexStandInError(failure.type, failure.message);
    if (botId !== this.bot.botId) throw new LexStandInError('ResourceNotFoundException', `Could not find bot: ${botId}`);
    if (botAliasId !== this.bot.botAliasId) throw new LexStandInError('ResourceNotFoundException', `Could not find bot alias: ${botAliasId} of bot ${botId}`);
    if (!this.bot.botLocales.some((l) => l.localeId === localeId)) throw new LexStandInError('ResourceNotFoundException', `Could not find locale ${localeId} of bot alias ${botAliasId}`);
    if (!/^[0-9a-zA-Z._:-]+$/.test(sessionId) || sessionId.length < 2 || sessionId.length > 100) {
      throw new LexStandInError('ValidationException', "1 validation error detected: Value at 'sessionId' failed to satisfy constraint: Member must have length between 2 and 100 and match pattern [0-9a-zA-Z._:-]+");
    }
  }

  /** RecognizeText: one text turn. */
  async recognizeText(localeId: string, sessionId: string, body: { text?: unknown; sessionState?: unknown; requestAttributes?: unknown }): Promise<RuntimeTurnResponse> {
    const text = body.text;
    if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT_LENGTH) {
      const record = { operation: 'RecognizeText' as const, sessionId, localeId, inputMode: 'Text' as const, text: typeof text === 'string' ? text : '', codeHookCalls: [], progress: [] };
      const error = new LexStandInError('ValidationException', typeof text !== 'string'
        ? "1 validation error detected: Value null at 'text' failed to satisfy constraint: Member must not be null"
        : `1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length ${text.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_TEXT_LENGTH}`}`);
      this.turns.push({ ...record, error: { type: error.type, message: error.message } });
      throw error;
    }
    return this.turn('RecognizeText', localeId, sessionId, { text, inputMode: 'Text', requestAttributes: stringMap(body.requestAttributes, 'requestAttributes') }, body.sessionState);
  }

  /** A voice turn as Connect sends it: inputMode Speech, a transcription, `x-amz-lex:channels:platform` = Connect. */
  async voiceTurn(request: VoiceTurnRequest): Promise<VoiceTurnResult> {
    const localeId = request.localeId ?? this.bot.botLocales[0]?.localeId;
    this.check(this.bot.botId, this.bot.botAliasId, localeId, request.sessionId);
    const progress: LexProgressMessage[] = [];
    const response = await this.turn('VoiceTurn', localeId, request.sessionId, {
      text: request.transcript,
      inputMode: request.inputMode ?? 'Speech',
      requestAttributes: { ...request.requestAttributes, 'x-amz-lex:channels:platform': 'Connect' },
      transcriptions: request.inputMode === 'DTMF' ? undefined : [{ transcription: request.transcript, transcriptionConfidence: request.transcriptionConfidence ?? 0.9 }],
      progress: {
        emit: (kind, messages, atMs) => {
          const m = { kind, atMs, messages };
          progress.push(m);
          request.onProgress?.(m);
        },
      },
    }, undefined, progress, request.sessionAttributes);
    return { ...response, progress };
  }

  /** PutSession: sets the session's state; answers the messages, state and request attributes it was given (the request attributes are not kept). */
  putSession(localeId: string, sessionId: string, body: { sessionState?: any; messages?: LexMessage[]; requestAttributes?: unknown }): { messages: LexMessage[]; sessionState: Record<string, unknown>; requestAttributes: Record<string, string> } {
    const state = body.sessionState;
    if (!state || typeof state !== 'object') throw new LexStandInError('ValidationException', "1 validation error detected: Value null at 'sessionState' failed to satisfy constraint: Member must not be null");
    const locale = this.bot.botLocales.find((l) => l.localeId === localeId)!;
    if (state.intent?.name && !locale.intents?.some((i) => i.name === state.intent.name)) {
      throw new LexStandInError('ValidationException', `Intent ${state.intent.name} is not an intent of locale ${localeId}.`);
    }
    const session = this.freshSession(sessionId);
    session.sessionAttributes = stringMap(state.sessionAttributes, 'sessionState.sessionAttributes');
    session.activeContexts = state.activeContexts ?? [];
    for (const c of session.activeContexts as Array<{ name?: string }>) if (c?.name) session.contextSetAt[c.name] = this.settings.clock();
    session.intent = state.intent ? { state: 'InProgress', confirmationState: 'None', slots: {}, ...state.intent } : undefined;
    session.dialogAction = state.dialogAction;
    session.messages = body.messages ?? [];
    const requestAttributes = stringMap(body.requestAttributes, 'requestAttributes');
    this.sessions.set(sessionId, session);
    return { messages: session.messages, sessionState: this.sessionState(session), requestAttributes };
  }

  /** GetSession: the session's last messages, interpretations and state; ResourceNotFoundException if there is none. */
  getSession(sessionId: string): { sessionId: string; messages: LexMessage[]; interpretations: RuntimeTurnResponse['interpretations']; sessionState: Record<string, unknown> } {
    const session = this.liveSession(sessionId);
    if (!session) throw new LexStandInError('ResourceNotFoundException', `Session ${sessionId} not found.`);
    return { sessionId, messages: session.messages, interpretations: runtimeInterpretations(session.interpretations), sessionState: this.sessionState(session) };
  }

  /** DeleteSession: ends the session; ResourceNotFoundException if there is none. */
  deleteSession(localeId: string, sessionId: string): { botId: string; botAliasId: string; localeId: string; sessionId: string } {
    if (!this.liveSession(sessionId)) throw new LexStandInError('ResourceNotFoundException', `Session ${sessionId} not found.`);
    this.sessions.delete(sessionId);
    return { botId: this.bot.botId, botAliasId: this.bot.botAliasId, localeId, sessionId };
  }

  private async turn(operation: LexTurnRecord['operation'], localeId: string, sessionId: string, input: Omit<TurnInput, 'requestId' | 'now'>,
    requestState: any, progress: LexProgressMessage[] = [], flowAttributes?: Readonly<Record<string, string>>): Promise<RuntimeTurnResponse> {
    const locale = this.bot.botLocales.find((l) => l.localeId === localeId)!;
    // The runtime API lists ConflictException (409) on every operation: one turn at a time on a session.
    if (this.inFlight.has(sessionId)) {
      const error = new LexStandInError('ConflictException', `Session ${sessionId} has a request in progress; send the next one after its answer.`);
      this.turns.push({ operation, sessionId, localeId, inputMode: input.inputMode, text: input.text, codeHookCalls: [], progress, error: { type: error.type, message: error.message } });
      throw error;
    }
    const stored = this.liveSession(sessionId);
    // The turn runs on a copy: if it fails, the session is exactly as it was.
    const session: LexSession = stored ? JSON.parse(JSON.stringify(stored)) : this.freshSession(sessionId);
    if (requestState && typeof requestState === 'object') {
      if (requestState.sessionAttributes !== undefined) session.sessionAttributes = stringMap(requestState.sessionAttributes, 'sessionState.sessionAttributes');
      if (requestState.activeContexts !== undefined) {
        session.activeContexts = requestState.activeContexts;
        for (const c of session.activeContexts as Array<{ name?: string }>) if (c?.name) session.contextSetAt[c.name] = this.settings.clock();
      }
      if (requestState.intent !== undefined) session.intent = requestState.intent;
      if (requestState.dialogAction !== undefined) session.dialogAction = requestState.dialogAction;
    }
    // Connect's precedence ("How to use Lex session attributes", Connect admin guide): service defaults, then the Get
    // customer input block's attributes, then "Session attributes provided by Lambda override everything prior". The
    // block sets its values when it runs; a value the flow sends again unchanged does not undo what the code hook wrote.
    if (flowAttributes) {
      const flow = stringMap(flowAttributes, 'sessionAttributes');
      for (const [k, v] of Object.entries(flow)) if (session.flowAttributes?.[k] !== v) session.sessionAttributes[k] = v;
      session.flowAttributes = flow;
    }
    const calls: CodeHookCall[] = [];
    const record = { operation, sessionId, localeId, inputMode: input.inputMode, text: input.text, codeHookCalls: calls, progress };
    this.inFlight.add(sessionId);
    try {
      const now = this.settings.clock();
      const result = await runTurn(session, { ...input, now, requestId: `local-${++this.requests}-${now}` }, {
        locale,
        bot: { id: this.bot.botId, name: this.bot.name, aliasId: this.bot.botAliasId, aliasName: this.bot.botAliasName ?? 'TestBotAlias', localeId, version: this.bot.botVersion ?? 'DRAFT' },
        codeHook: this.bot.codeHooks?.[localeId],
        codeHookTimeoutMs: this.settings.codeHookTimeoutMs,
        secondMs: this.settings.secondMs,
        random: this.settings.random,
        calls,
      });
      session.lastActivityAt = this.settings.clock();
      this.sessions.set(sessionId, session);
      const response: RuntimeTurnResponse = {
        sessionId,
        messages: result.messages ?? [],
        sessionState: result.sessionState as unknown as Record<string, unknown>,
        interpretations: runtimeInterpretations(result.interpretations),
        // "The attributes sent in the request": this request's, never an earlier one's (context-mgmt-request-attribs.html).
        ...(Object.keys(input.requestAttributes).length > 0 ? { requestAttributes: { ...input.requestAttributes } } : {}),
      };
      this.turns.push({ ...record, response });
      return response;
    } catch (err) {
      const e = err instanceof LexStandInError ? err : new LexStandInError('InternalServerException', String(err), { cause: err });
      this.turns.push({ ...record, error: { type: e.type, message: e.message } });
      throw e;
    } finally {
      this.inFlight.delete(sessionId);
    }
  }

  private freshSession(sessionId: string): LexSession {
    return { sessionId, sessionAttributes: {}, activeContexts: [], contextSetAt: {}, messages: [], interpretations: [], attempts: 0, lastActivityAt: this.settings.clock() };
  }

  /** The session, unless it has been idle longer than the bot's idle session TTL (then it is gone, as on Lex). */
  private liveSession(sessionId: string): LexSession | undefined {
    const session = this.sessions.get(sessionId);
    const ttlMs = (this.bot.idleSessionTtlInSeconds ?? DEFAULT_IDLE_SESSION_TTL_SECONDS) * 1000;
    if (session && this.settings.clock() - session.lastActivityAt > ttlMs) {
      this.sessions.delete(sessionId);
      return undefined;
    }
    return session;
  }

  private sessionState(session: LexSession): Record<string, unknown> {
    return {
      ...(session.dialogAction ? { dialogAction: session.dialogAction } : {}),
      ...(session.intent ? { intent: session.intent } : {}),
      sessionAttributes: session.sessionAttributes,
      activeContexts: session.activeContexts,
      ...(session.originatingRequestId ? { originatingRequestId: session.originatingRequestId } : {}),
    };
  }
}

/** Interpretations as the runtime API returns them: `nluConfidence` is `{ score }` there. */
function runtimeInterpretations(interpretations: readonly EventInterpretation[]): RuntimeTurnResponse['interpretations'] {
  return interpretations.map((i) => ({
    intent: i.intent,
    ...(i.nluConfidence === undefined || Number.isNaN(i.nluConfidence) ? {} : { nluConfidence: { score: i.nluConfidence } }),
    interpretationSource: 'Lex' as const,
  }));
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new LexStandInError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be a map of strings to strings`);
  }
  return { ...(value as Record<string, string>) };
}

function defaultMessage(type: LexRuntimeErrorType): string {
  return type === 'ThrottlingException' ? 'Rate exceeded' : `${type} (scripted by the test)`;
}
