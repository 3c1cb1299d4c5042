// startLexStandIn: an offline Amazon Lex V2 runtime for one bot alias, read from a synthesized cloud assembly (or
// given as a definition), served on 127.0.0.1 to the real LexRuntimeV2Client, with the alias's code hook run in-process.
import { setProcessEnvironment } from '../lambda-bundle';
import type { LocalEndpoint } from '../local-server';
import { LexAssemblyError, botFromAssembly, type AssemblyBotOptions } from './assembly';
import { MODELLED_BUILT_IN_SLOT_TYPES, unmodelledBuiltInSlots } from './builtin-slot-types';
import { lexId, unmodelledSettings, type LexBotDefinition } from './bot-model';
import { MATCHING_METHOD } from './classifier';
import type { CodeHookCall } from './dialog';
import type { LexRuntimeErrorType } from './errors';
import { LexRuntime, type LexTurnRecord, type VoiceTurnRequest, type VoiceTurnResult } from './runtime';
import { serveLexRuntime } from './server';

export { LexAssemblyError, type AssemblyBotOptions } from './assembly';
export type {
  BotCodeHook, BotFulfillmentUpdates, BotIntent, BotLocale, BotMessage, BotMessageGroup, BotPrompt, BotResponse, BotSlot, BotSlotType, LexBotDefinition,
} from './bot-model';
export { MATCHING_METHOD, classify, type Classification, type IntentScore } from './classifier';
export type { CodeHookCall } from './dialog';
export { LEX_RUNTIME_ERRORS, LexStandInError, type LexRuntimeErrorType } from './errors';
export { MAX_TEXT_LENGTH, type LexProgressMessage, type LexTurnRecord, type RuntimeTurnResponse, type VoiceTurnRequest, type VoiceTurnResult } from './runtime';
export { MODELLED_BUILT_IN_SLOT_TYPES, parseNumber, resolveSlotValue, spokenDigits, type ResolvedSlotValue, type SlotResolutionContext } from './slot-values';

/** Options of `startLexStandIn`: a cloud assembly (`assembly`) or a bot definition (`bot`). */
export interface LexStandInOptions extends Partial<AssemblyBotOptions> {
  /** The bot, when it is not read from an assembly. @default - read from `assembly` */
  readonly bot?: LexBotDefinition;
  /**
   * Environment variables set for the whole process while the stand-in runs (the code hook's endpoint overrides,
   * credentials, region), restored by `close()`. @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long Lex waits for a code hook before the turn fails with DependencyFailedException, in ms, where the intent
   * has no active fulfillment updates (those bring their own `timeoutInSeconds`). @default 30000 (Lex's)
   */
  readonly codeHookTimeoutMs?: number;
  /**
   * How long one second of the bot's fulfillment update settings (`delayInSeconds`, `frequencyInSeconds`,
   * `timeoutInSeconds`) lasts, in ms: lower it so tests need not wait seconds. @default 1000
   */
  readonly fulfillmentUpdateSecondMs?: number;
  /** The clock for idle session TTLs and relative dates (ms since epoch). @default Date.now */
  readonly clock?: () => number;
  /**
   * A number in [0, 1) for picking among message variations where the bot's selection strategy is Random (Lex's
   * default): pass a fixed function for repeatable transcripts. @default Math.random
   */
  readonly random?: () => number;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/** A running offline Lex V2 runtime. */
export interface LexStandIn extends LocalEndpoint {
  /** The ids the runtime API paths take (pass them to RecognizeText and the other commands). */
  readonly botId: string;
  readonly botAliasId: string;
  /** The bot's first locale. */
  readonly localeId: string;
  /** The bot as the stand-in runs it. */
  readonly bot: LexBotDefinition;
  /** Every conversation turn, in order, failed ones included. */
  readonly turns: readonly LexTurnRecord[];
  /** Every code hook invocation of every turn, in order: the event Lex sent and the answer (or error). */
  readonly codeHookCalls: readonly CodeHookCall[];
  /** The matching method, in one line: "not Lex's NLU". */
  readonly matchingMethod: string;
  /**
   * The bot's conversation-flow settings the offline runtime does not play (conditional branches, explicit next steps,
   * capture responses, wait-and-continue, multi-value or composite slots), as `localeId Intent.path`: Lex follows
   * them, the stand-in goes on as if they were absent. A test of such a bot can assert what it relies on is not here.
   */
  readonly unmodelled: readonly string[];
  /** One voice turn as Amazon Connect sends it; fulfillment updates play on the clock while the code hook runs. */
  voiceTurn(request: VoiceTurnRequest): Promise<VoiceTurnResult>;
  /** Makes the next `count` runtime requests fail with `type`, e.g. `failNext('ThrottlingException')`. */
  failNext(type: LexRuntimeErrorType, count?: number, message?: string): void;
  /** Stops the server and restores the environment. */
  close(): Promise<void>;
}

/**
 * Starts an offline Lex V2 runtime on 127.0.0.1 for one bot alias. Point the real client at it:
 * `new LexRuntimeV2Client({ endpoint: lex.endpoint, region, credentials: LOCAL_CREDENTIALS })`.
 *
 * Intents are matched to the sample utterances by word overlap, word rarity and edit distance: not Lex's NLU. Below
 * the locale's threshold the fallback intent wins; the interpretations list the near misses with their scores.
 * Dialog management follows Lex V2: slots elicited in priority order with the bot's prompts and retries (the next
 * variation of an Ordered prompt), default values, confirmation and declination, the dialog code hook at each step
 * the bot lets it run (failed attempts included, `proposedNextState.prompt.attempt` naming the retry), the fulfillment
 * code hook once the intent is ready unless it is inactive, the hook's answer obeyed (or refused, as Lex refuses it,
 * with DependencyFailedException), then the success response followed by the closing response; the failure response
 * when the hook throws. A bot using a built-in slot type the runtime does not model is refused here, naming the slot
 * and type. A failed turn leaves the session as it was.
 *
 * Voice: `voiceTurn({ sessionId, transcript, sessionAttributes, onProgress })` sends a turn as Amazon Connect's voice
 * channel does (inputMode Speech, a transcription, request attribute `x-amz-lex:channels:platform` = `Connect`). The
 * flow's session attributes apply when the flow sets them; one the code hook wrote wins over the same value sent
 * again (Connect: "Session attributes provided by Lambda override everything prior"). For an intent with an active
 * `fulfillmentUpdatesSpecification`, Lex waits `timeoutInSeconds` for the hook (instead of 30 s); the start message
 * plays `delayInSeconds` after the hook is invoked and an update every `frequencyInSeconds` from the invocation, each
 * on its own, until the hook answers: each is passed to `onProgress` as it plays and listed in the result's
 * `progress` and the turn record (`atMs`: ms since the hook was invoked). Past `timeoutInSeconds`, the post-fulfillment
 * `timeoutResponse` closes the intent as Failed, or without one the turn fails with DependencyFailedException.
 * RecognizeText turns play no updates, as on Lex, but the timeout holds there too.
 *
 * @example
 * const lex = await startLexStandIn({ assembly: 'cdk.out', fulfillmentUpdateSecondMs: 10 });
 * const client = new LexRuntimeV2Client({ endpoint: lex.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
 * const out = await client.send(new RecognizeTextCommand({
 *   botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId, sessionId: 'user-1', text: 'book a table',
 * }));
 * const call = await lex.voiceTurn({ sessionId: 'call-1', transcript: 'yes', sessionAttributes: { interactionKey: 'k1' },
 *   onProgress: (m) => console.log(m.kind, m.messages) });
 * await lex.close();
 */
export async function startLexStandIn(options: LexStandInOptions): Promise<LexStandIn> {
  if (!options.bot === !options.assembly) throw new Error('startLexStandIn: pass either `assembly` (a cdk.out directory) or `bot` (a bot definition).');
  const definition = options.bot ?? botFromAssembly(options as AssemblyBotOptions);
  if (definition.botLocales.length === 0) throw new Error(`startLexStandIn: bot ${definition.name} has no locales.`);
  // A built-in slot type the stand-in does not model would be filled with whatever the user said: refuse the bot.
  const unmodelled = definition.botLocales.flatMap((l) => unmodelledBuiltInSlots(l).map((s) => `${l.localeId} ${s}`));
  if (unmodelled.length > 0) {
    throw new LexAssemblyError(`startLexStandIn: bot ${definition.name} uses built-in slot types the offline runtime does not model: ${unmodelled.join(', ')}. `
      + `It models ${MODELLED_BUILT_IN_SLOT_TYPES.join(', ')}; test the others against a deployed bot.`);
  }
  const bot = { ...definition, botId: definition.botId ?? lexId(`bot:${definition.name}`), botAliasId: definition.botAliasId ?? 'TSTALIASID' };
  const runtime = new LexRuntime(bot, {
    codeHookTimeoutMs: options.codeHookTimeoutMs ?? 30_000,
    secondMs: options.fulfillmentUpdateSecondMs ?? 1000,
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
  });
  const restore = setProcessEnvironment(options.environment);
  let local: LocalEndpoint;
  try {
    local = await serveLexRuntime(runtime, options.port);
  } catch (err) {
    restore();
    throw err;
  }
  const stop = async () => { restore(); await local.stop(); };
  return {
    endpoint: local.endpoint,
    port: local.port,
    botId: bot.botId,
    botAliasId: bot.botAliasId,
    localeId: bot.botLocales[0].localeId,
    bot,
    turns: runtime.turns,
    get codeHookCalls() { return runtime.turns.flatMap((t) => t.codeHookCalls); },
    matchingMethod: MATCHING_METHOD,
    unmodelled: bot.botLocales.flatMap((l) => unmodelledSettings(l).map((s) => `${l.localeId} ${s}`)),
    voiceTurn: (request) => runtime.voiceTurn(request),
    failNext: (type, count, message) => runtime.failNext(type, count, message),
    stop,
    close: stop,
  };
}
