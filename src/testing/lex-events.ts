// Builders for Lex V2 code hook events, shaped as Lex sends them, for tests that run a bot's handler offline.
import type { LexInputMode, LexInvocationSource, LexSlot, LexV2Event } from '../runtime/lex/types';

/** What varies between turns; everything else gets the values the Lex V2 test alias sends. */
export interface LexEventOptions {
  /** Intent name, e.g. `GreetingIntent`. */
  readonly intent: string;
  /** What the user said or typed. @default - the intent name */
  readonly inputTranscript?: string;
  /** Slot values by slot name; a string becomes a scalar slot with that value. @default - no slots */
  readonly slots?: Record<string, string | LexSlot | null>;
  /** @default {} */
  readonly sessionAttributes?: Record<string, string>;
  /** @default {} */
  readonly requestAttributes?: Record<string, string>;
  /** @default 'FulfillmentCodeHook' */
  readonly invocationSource?: LexInvocationSource;
  /** @default 'Text' */
  readonly inputMode?: LexInputMode;
  /** @default 'test-session' */
  readonly sessionId?: string;
  /** @default 'en_US' */
  readonly localeId?: string;
  /** NLU confidence of the top interpretation. @default 0.95 */
  readonly nluConfidence?: number;
}

/** A scalar slot as Lex sends it once the value is resolved. */
export function scalarSlot(value: string): LexSlot {
  return { shape: 'Scalar', value: { originalValue: value, interpretedValue: value, resolvedValues: [value] } };
}

/** A Lex V2 code hook event (message version 1.0), as the test alias `TSTALIASID` on version `DRAFT` sends it. */
export function lexEvent(options: LexEventOptions): LexV2Event {
  const slots = Object.fromEntries(
    Object.entries(options.slots ?? {}).map(([name, v]) => [name, typeof v === 'string' ? scalarSlot(v) : v]),
  );
  const invocationSource = options.invocationSource ?? 'FulfillmentCodeHook';
  const intent = {
    name: options.intent,
    slots,
    state: invocationSource === 'FulfillmentCodeHook' ? ('ReadyForFulfillment' as const) : ('InProgress' as const),
    confirmationState: 'None' as const,
  };
  const inputMode = options.inputMode ?? 'Text';
  return {
    messageVersion: '1.0',
    invocationSource,
    inputMode,
    responseContentType: inputMode === 'Speech' ? 'audio/pcm' : 'text/plain; charset=utf-8',
    sessionId: options.sessionId ?? 'test-session',
    inputTranscript: options.inputTranscript ?? options.intent,
    bot: { id: 'TESTBOTID0', name: 'TestBot', aliasId: 'TSTALIASID', aliasName: 'TestBotAlias', localeId: options.localeId ?? 'en_US', version: 'DRAFT' },
    interpretations: [
      { intent, nluConfidence: options.nluConfidence ?? 0.95, interpretationSource: 'Lex' },
      { intent: { name: 'FallbackIntent', slots: {}, state: 'InProgress', confirmationState: 'None' } },
    ],
    requestAttributes: options.requestAttributes ?? {},
    sessionState: {
      sessionAttributes: options.sessionAttributes ?? {},
      activeContexts: [],
      intent,
      originatingRequestId: 'test-request-id',
    },
    transcriptions: inputMode === 'Speech'
      ? [{ transcription: options.inputTranscript ?? options.intent, transcriptionConfidence: 0.9 }]
      : undefined,
  };
}
