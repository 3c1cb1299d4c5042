// Fulfillment progress messages for the intents that can take time: checked at synth against the limits of the Lex
// V2 models API and written into the user's CfnBot intents (FulfillmentCodeHook).
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type * as lex from 'aws-cdk-lib/aws-lex';
import type { Construct } from 'constructs';
import { LEX_BOT_MESSAGE_MAX_CHARS, LEX_PROGRESS_LIMITS } from '../../shared/lex-limits';
import type { CachedLexFulfillmentProps } from './props';

/**
 * What a caller hears while a slow intent is being fulfilled (a workflow starting, an answer generated on a miss).
 * Lex plays these only on streaming conversations (Amazon Connect voice calls); RecognizeText (web chat) never does.
 */
export interface ProgressMessages {
  /**
   * The intents that get them.
   * @default - every workflow intent, and every intent with a `prompt` when `syncGenerationDeadline` is set
   */
  readonly intentNames?: string[];
  /** Played once the fulfillment has taken `startDelay`, e.g. "One moment while I set that up." (1 to 5). */
  readonly startMessages: string[];
  /**
   * How long fulfillment runs before a start message plays (1-900 s, whole seconds).
   * @default Duration.seconds(2)
   */
  readonly startDelay?: Duration;
  /**
   * Played every `updateFrequency` after the start message, e.g. "Still working on it." (1 to 5).
   * @default - the start messages
   */
  readonly updateMessages?: string[];
  /**
   * How often an update message plays (1-900 s, whole seconds).
   * @default Duration.seconds(5)
   */
  readonly updateFrequency?: Duration;
  /**
   * How long Lex waits for the fulfillment before it gives up and plays `timeoutResponse` (1-900 s). The fulfillment
   * function's timeout must be longer, or it is killed first and the caller hears an error.
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;
  /** What the caller hears when the fulfillment times out; without it a timeout is an error for the caller. */
  readonly timeoutResponse: string;
  /**
   * Whether the caller can interrupt the messages.
   * @default true
   */
  readonly allowInterrupt?: boolean;
}

/** The default progress timeout; the fulfillment function's default timeout follows it. */
export const DEFAULT_PROGRESS_TIMEOUT = Duration.seconds(15);

/** The intents that can take time and so get progress messages by default. */
function slowIntents(props: CachedLexFulfillmentProps): string[] {
  return [
    ...(props.workflowIntents ?? []).map((w) => w.intentName),
    ...props.intents.filter((i) => i.prompt && (props.syncGenerationDeadline || i.voiceGenerationDeadline)).map((i) => i.intentName),
  ];
}

function checkSeconds(where: string, prop: string, d: Duration): number {
  if (d.isUnresolved()) return NaN;
  const s = d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < LEX_PROGRESS_LIMITS.minSeconds || s > LEX_PROGRESS_LIMITS.maxSeconds) {
    throw new Error(`${where}: 'progressMessages.${prop}' must be a whole number of seconds from 1 to 900, got ${s} seconds.`);
  }
  return s;
}

function checkMessages(where: string, prop: string, messages: readonly string[]): void {
  if (messages.length < LEX_PROGRESS_LIMITS.minMessages || messages.length > LEX_PROGRESS_LIMITS.maxMessages) {
    throw new Error(`${where}: 'progressMessages.${prop}' needs 1 to 5 messages (Lex's limit of message groups), got ${messages.length}.`);
  }
  messages.forEach((m) => checkMessage(where, prop, m));
}

function checkMessage(where: string, prop: string, m: string): void {
  if (Token.isUnresolved(m)) return;
  if (m.trim() === '' || m.length > LEX_BOT_MESSAGE_MAX_CHARS) {
    throw new Error(`${where}: every message of 'progressMessages.${prop}' must hold 1 to ${LEX_BOT_MESSAGE_MAX_CHARS} characters `
      + `(Lex's PlainTextMessage limit), got one of ${m.length}.`);
  }
}

/**
 * Checks `props.progressMessages` and returns, per intent, the code hook settings to merge into the bot (or an empty
 * map without the option). `functionTimeout` is the fulfillment function's.
 */
export function progressCodeHookSettings(scope: Construct, where: string, props: CachedLexFulfillmentProps, functionTimeout: Duration)
  : Map<string, Partial<lex.CfnBot.FulfillmentCodeHookSettingProperty>> {
  const p = props.progressMessages;
  const out = new Map<string, Partial<lex.CfnBot.FulfillmentCodeHookSettingProperty>>();
  if (!p) return out;
  if (!props.bot) {
    throw new Error(`${where}: 'progressMessages' are written into the bot's intents; pass the CfnBot as 'bot'.`);
  }
  const intentNames = p.intentNames ?? slowIntents(props);
  const answered = new Set([...props.intents.map((i) => i.intentName), ...(props.workflowIntents ?? []).map((w) => w.intentName)]);
  if (intentNames.length === 0) {
    throw new Error(`${where}: 'progressMessages' has no intent to play on: no workflow intent, and no intent generates on a miss `
      + "('syncGenerationDeadline' unset). Name them in 'progressMessages.intentNames', or leave the option out.");
  }
  for (const name of intentNames) {
    if (!answered.has(name)) {
      throw new Error(`${where}: 'progressMessages.intentNames' names '${name}', which is neither in 'intents' nor in 'workflowIntents'.`);
    }
  }
  checkMessages(where, 'startMessages', p.startMessages);
  if (p.updateMessages) checkMessages(where, 'updateMessages', p.updateMessages);
  checkMessage(where, 'timeoutResponse', p.timeoutResponse);
  const delay = checkSeconds(where, 'startDelay', p.startDelay ?? Duration.seconds(2));
  const frequency = checkSeconds(where, 'updateFrequency', p.updateFrequency ?? Duration.seconds(5));
  const timeout = checkSeconds(where, 'timeout', p.timeout ?? DEFAULT_PROGRESS_TIMEOUT);
  if (!functionTimeout.isUnresolved() && !Number.isNaN(timeout) && functionTimeout.toSeconds({ integral: false }) <= timeout) {
    throw new Error(`${where}: 'fulfillmentTimeout' (${functionTimeout.toHumanString()}) must be longer than 'progressMessages.timeout' `
      + `(${timeout} seconds): otherwise Lambda stops the function before Lex plays the timeout response, and the caller hears an error.`);
  }
  if (!Number.isNaN(delay) && !Number.isNaN(timeout) && delay >= timeout) {
    throw new Error(`${where}: 'progressMessages.startDelay' (${delay} s) must be shorter than 'progressMessages.timeout' (${timeout} s), or no message ever plays.`);
  }
  Annotations.of(scope).addInfo(`Progress messages play only on streaming conversations (Amazon Connect voice calls, StartConversation); `
    + `RecognizeText channels such as a web chat never play them (intents: ${intentNames.join(', ')}).`);

  const groups = (messages: readonly string[]) => messages.map((value) => ({ message: { plainTextMessage: { value } } }));
  const allowInterrupt = p.allowInterrupt ?? true;
  for (const name of intentNames) {
    out.set(name, {
      fulfillmentUpdatesSpecification: {
        active: true,
        startResponse: { delayInSeconds: delay, messageGroups: groups(p.startMessages), allowInterrupt },
        updateResponse: { frequencyInSeconds: frequency, messageGroups: groups(p.updateMessages ?? p.startMessages), allowInterrupt },
        timeoutInSeconds: timeout,
      },
      postFulfillmentStatusSpecification: { timeoutResponse: { messageGroupsList: groups([p.timeoutResponse]), allowInterrupt } },
    });
  }
  return out;
}
