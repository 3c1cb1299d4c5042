// A Lex V2 runtime that records RecognizeText requests and answers from a script, for the proxy tests.
// Protocol (Lex V2 API reference, RecognizeText): POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/
// sessions/{sessionId}/text with a JSON body {text, sessionState, requestAttributes}; errors carry their name in the
// x-amzn-ErrorType header with the status the reference lists (ThrottlingException 429, DependencyFailedException 424...).
import { createServer } from 'node:http';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, type LocalEndpoint } from '../../../src/testing';
import { listenLocal, readRequestBody } from '../../../src/testing/local-server';

export interface RecordedTurn {
  readonly botId: string;
  readonly botAliasId: string;
  readonly localeId: string;
  readonly sessionId: string;
  readonly body: Record<string, unknown>;
}

/** One scripted answer: a RecognizeText response body, or a documented error. */
export type ScriptedAnswer = { readonly body: Record<string, unknown> } | { readonly error: string; readonly status: number };

export interface LexRecorder extends LocalEndpoint {
  readonly turns: RecordedTurn[];
  /** Answers, in order, for the next requests; when empty, an echo PlainText answer with ElicitIntent. */
  readonly script: ScriptedAnswer[];
  /** A real client on this endpoint, over HTTP/1.1 as the proxy's default client is. */
  client(): LexRuntimeV2Client;
}

const PATH = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/text$/;

export async function startLexRecorder(): Promise<LexRecorder> {
  const turns: RecordedTurn[] = [];
  const script: ScriptedAnswer[] = [];
  const server = createServer(async (req, res) => {
    const match = PATH.exec(req.url ?? '');
    const raw = (await readRequestBody(req)).toString('utf8');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ message: 'not found' }));
      return;
    }
    const [, botId, botAliasId, localeId, sessionId] = match.map(decodeURIComponent);
    const body = JSON.parse(raw) as Record<string, unknown>;
    turns.push({ botId, botAliasId, localeId, sessionId, body });
    const next = script.shift() ?? { body: { messages: [{ contentType: 'PlainText', content: `echo: ${String(body.text)}` }], sessionState: { dialogAction: { type: 'ElicitIntent' } }, sessionId } };
    if ('error' in next) {
      res.writeHead(next.status, { 'content-type': 'application/json', 'x-amzn-errortype': next.error });
      res.end(JSON.stringify({ message: `${next.error} from the recorder` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sessionId, ...next.body }));
  });
  const endpoint = await listenLocal(server);
  return {
    ...endpoint,
    turns,
    script,
    client: () => new LexRuntimeV2Client({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttpHandler() }),
  };
}
