// Builds the Lex V2 code hook event from the dialog state ("Lambda input event format", Lex V2 developer guide),
// invokes the bot alias's function in-process within the code hook timeout, and refuses an answer Lex would reject.
import type { LexIntent, LexV2Event, LexV2Response } from '../../runtime/lex/types';
import { invokeLocalLambda } from '../lambda-bundle';
import { lexResponseProblems } from '../lex-response';
import type { BotCodeHook, BotLocale } from './bot-model';
import { LexStandInError } from './errors';

/** The bot, alias and locale an event names. */
export interface EventBot {
  readonly id: string;
  readonly name: string;
  readonly aliasId: string;
  readonly aliasName: string;
  readonly localeId: string;
  readonly version: string;
}

/** One interpretation as the event carries it: `nluConfidence` is a number here (an object in the runtime API). */
export interface EventInterpretation {
  readonly intent: LexIntent;
  readonly nluConfidence?: number;
}

/** What a code hook event is built from. */
export interface CodeHookEventInput {
  readonly invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  readonly inputMode: 'Text' | 'Speech' | 'DTMF';
  readonly sessionId: string;
  readonly inputTranscript: string;
  readonly bot: EventBot;
  readonly interpretations: readonly EventInterpretation[];
  readonly intent: LexIntent;
  readonly sessionAttributes: Readonly<Record<string, string>>;
  readonly activeContexts: readonly unknown[];
  readonly requestAttributes: Readonly<Record<string, string>>;
  readonly originatingRequestId: string;
  /** What Lex would do next if the hook delegates (dialog code hook only). */
  readonly proposedNextState?: { dialogAction: { type: string; slotToElicit?: string }; intent: LexIntent; prompt?: { attempt: string } };
  readonly transcriptions?: ReadonlyArray<{ transcription: string; transcriptionConfidence: number }>;
  /** The step's `invocationLabel`, when the bot names one. */
  readonly invocationLabel?: string;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The event, shaped as Lex V2 sends it (message version 1.0). */
export function codeHookEvent(input: CodeHookEventInput): LexV2Event {
  // Speech and DTMF come from a voice channel: Lex answers them with audio.
  const speech = input.inputMode !== 'Text';
  return {
    messageVersion: '1.0',
    invocationSource: input.invocationSource,
    inputMode: input.inputMode,
    responseContentType: speech ? 'audio/pcm' : 'text/plain; charset=utf-8',
    sessionId: input.sessionId,
    inputTranscript: input.inputTranscript,
    ...(input.invocationLabel ? { invocationLabel: input.invocationLabel } : {}),
    bot: { ...input.bot },
    interpretations: input.interpretations.map((i) => ({
      intent: clone(i.intent),
      ...(i.nluConfidence === undefined || Number.isNaN(i.nluConfidence) ? {} : { nluConfidence: i.nluConfidence }),
      interpretationSource: 'Lex' as const,
    })),
    ...(input.proposedNextState ? { proposedNextState: clone(input.proposedNextState) } : {}),
    requestAttributes: { ...input.requestAttributes },
    sessionState: {
      sessionAttributes: { ...input.sessionAttributes },
      activeContexts: clone([...input.activeContexts]),
      intent: clone(input.intent),
      originatingRequestId: input.originatingRequestId,
    },
    ...(input.transcriptions ? {
      transcriptions: input.transcriptions.map((t) => ({ ...t, resolvedContext: { intent: input.intent.name }, resolvedSlots: {} })),
    } : {}),
  };
}

/**
 * Invokes the code hook. A throw, no answer within `timeoutMs`, and an answer Lex would reject (the response format,
 * or an intent or slot the bot lacks) are each a DependencyFailedException, which the Lex runtime API lists for a
 * failed dependency (V1's PostText reference spells out "a Lambda function takes longer than 30 seconds"; V2's error
 * pages carry no descriptions). The error says which (`codeHookFailure`), for the intent's failure and timeout responses.
 */
export async function invokeCodeHook(hook: BotCodeHook, event: LexV2Event, locale: BotLocale, timeoutMs: number): Promise<LexV2Response> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LexStandInError('DependencyFailedException',
      `Timed out waiting for the Lambda function ${hook.lambdaArn} to answer the ${event.invocationSource} (${timeoutMs / 1000} s).`, { codeHookFailure: 'timeout' })), timeoutMs);
  });
  let response: unknown;
  try {
    response = await Promise.race([
      invokeLocalLambda(hook.lambda, hook.lambdaArn, event, timeoutMs).catch((err: unknown) => {
        throw new LexStandInError('DependencyFailedException',
          `Invalid Lambda Response: Received error response from Lambda: Unhandled (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`, { cause: err, codeHookFailure: 'threw' });
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
  const problems = [...lexResponseProblems(response), ...botProblems(response as LexV2Response, locale)];
  if (problems.length > 0) {
    throw new LexStandInError('DependencyFailedException', `Invalid Lambda Response: Received invalid response from Lambda: ${problems.join('; ')}`, { codeHookFailure: 'invalid' });
  }
  return response as LexV2Response;
}

/** What Lex refuses because the bot does not define it: an unknown intent, slot or slot to elicit. */
function botProblems(response: LexV2Response, locale: BotLocale): string[] {
  const problems: string[] = [];
  const intent = response?.sessionState?.intent;
  if (!intent?.name) return problems;
  const def = locale.intents?.find((i) => i.name === intent.name);
  if (!def) return [`intent ${intent.name} is not an intent of locale ${locale.localeId}`];
  const names = new Set((def.slots ?? []).map((s) => s.name));
  for (const slot of Object.keys(intent.slots ?? {})) if (!names.has(slot)) problems.push(`slot ${slot} is not a slot of intent ${intent.name}`);
  const toElicit = response.sessionState.dialogAction?.slotToElicit;
  if (response.sessionState.dialogAction?.type === 'ElicitSlot' && toElicit && !names.has(toElicit)) {
    problems.push(`slotToElicit ${toElicit} is not a slot of intent ${intent.name}`);
  }
  return problems;
}
