// Talks to an Atlas Engine bot through the Lex V2 runtime (RecognizeText): a deployed bot with the caller's AWS
// credentials (`npm run atlas -- --remote --bot-id ... --bot-alias-id ...`), or the offline Lex runtime, by one path.
import { LexRuntimeV2Client, RecognizeTextCommand, type RecognizeTextCommandInput } from '@aws-sdk/client-lex-runtime-v2';

export interface RemoteBot {
  readonly botId: string;
  readonly botAliasId: string;
  /** @default 'en_US' */
  readonly localeId?: string;
  /** @default - from the environment (AWS_REGION) */
  readonly region?: string;
}

/** The RecognizeText request for one utterance of a session. */
export function recognizeTextInput(bot: RemoteBot, sessionId: string, text: string, sessionAttributes?: Record<string, string>): RecognizeTextCommandInput {
  if (!/^[0-9A-Z]{10}$/.test(bot.botId)) throw new Error(`--bot-id must be the 10-character Lex bot id, got '${bot.botId}'.`);
  if (!/^[0-9A-Z]{10}$/.test(bot.botAliasId)) throw new Error(`--bot-alias-id must be the 10-character bot alias id, got '${bot.botAliasId}'.`);
  if (!/^[0-9a-zA-Z._:-]{2,100}$/.test(sessionId)) throw new Error('The session id must be 2 to 100 letters, digits or . _ : -.');
  return {
    botId: bot.botId,
    botAliasId: bot.botAliasId,
    localeId: bot.localeId ?? 'en_US',
    sessionId,
    text,
    ...(sessionAttributes ? { sessionState: { sessionAttributes } } : {}),
  };
}

export interface RemoteTurn {
  readonly text: string;
  /** RecognizeText's round trip, as the client sees it. */
  readonly latencyMs: number;
  readonly intent?: string;
  /** What Lex does next: Close, ElicitSlot, ConfirmIntent, ElicitIntent. */
  readonly dialogAction?: string;
  readonly slotToElicit?: string;
  readonly answer: string;
}

/** One RecognizeText turn, timed. */
export async function sendText(client: LexRuntimeV2Client, bot: RemoteBot, sessionId: string, text: string, sessionAttributes?: Record<string, string>): Promise<RemoteTurn> {
  const started = performance.now();
  const out = await client.send(new RecognizeTextCommand(recognizeTextInput(bot, sessionId, text, sessionAttributes)));
  return {
    text,
    latencyMs: performance.now() - started,
    intent: out.sessionState?.intent?.name,
    dialogAction: out.sessionState?.dialogAction?.type,
    slotToElicit: out.sessionState?.dialogAction?.slotToElicit,
    answer: (out.messages ?? []).map((m) => m.content ?? '').join(' '),
  };
}

/** Plays the utterances against the bot, one session, and times each turn as the client sees it. */
export async function playRemote(bot: RemoteBot, utterances: readonly string[], client = new LexRuntimeV2Client({ region: bot.region })): Promise<RemoteTurn[]> {
  const sessionId = `atlas-sim-${Date.now()}`;
  const turns: RemoteTurn[] = [];
  for (const text of utterances) turns.push(await sendText(client, bot, sessionId, text));
  return turns;
}
