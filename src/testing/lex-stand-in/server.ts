// The Lex V2 runtime's REST-JSON protocol on 127.0.0.1: the documented request paths of RecognizeText, PutSession,
// GetSession and DeleteSession over HTTP/1.1 and HTTP/2, their response shapes, and errors as `x-amzn-ErrorType` plus a `message` body.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { readRequestBody, type LocalEndpoint } from '../local-server';
import { listenBothProtocols } from '../local-server-h2';
import { LexStandInError } from './errors';
import type { LexRuntime } from './runtime';

const SESSION_PATH = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)(\/text|\/utterance|\/conversation)?$/;

/** A field of a PutSession response header: JSON, gzipped, base64 (Lex V2 API reference, PutSession "Response Syntax"). */
const packed = (value: unknown): string => gzipSync(Buffer.from(JSON.stringify(value))).toString('base64');

/** Serves `runtime` until the endpoint is stopped. */
export async function serveLexRuntime(runtime: LexRuntime, port = 0): Promise<LocalEndpoint> {
  // LexRuntimeV2Client talks HTTP/2 by default (for StartConversation); other clients HTTP/1.1.
  return listenBothProtocols((req, res) => { void handle(runtime, req as IncomingMessage, res as ServerResponse); }, port);
}

async function handle(runtime: LexRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    const raw = await readRequestBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = SESSION_PATH.exec(url.pathname);
    if (!m) throw new LexStandInError('ResourceNotFoundException', `No Lex V2 runtime operation at ${req.method} ${url.pathname}.`);
    const [botId, botAliasId, localeId, sessionId] = m.slice(1, 5).map(decodeURIComponent);
    const suffix = m[5];
    if (suffix === '/utterance' || suffix === '/conversation') {
      throw new LexStandInError('ValidationException', `The Lex stand-in serves RecognizeText, PutSession, GetSession and DeleteSession; ${suffix === '/utterance' ? 'RecognizeUtterance' : 'StartConversation'} (audio) is not served. Send voice turns with voiceTurn().`);
    }
    let body: Record<string, unknown> = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        throw new LexStandInError('ValidationException', 'The request body is not valid JSON.', { cause: err });
      }
    }
    runtime.check(botId, botAliasId, localeId, sessionId);
    if (req.method === 'POST' && suffix === '/text') {
      return json(res, requestId, await runtime.recognizeText(localeId, sessionId, body));
    }
    if (req.method === 'POST') {
      const out = runtime.putSession(localeId, sessionId, body as never);
      res.writeHead(200, {
        'content-type': String(req.headers.responsecontenttype ?? 'text/plain; charset=utf-8'),
        'x-amz-lex-messages': packed(out.messages),
        'x-amz-lex-session-state': packed(out.sessionState),
        'x-amz-lex-request-attributes': packed(out.requestAttributes),
        'x-amz-lex-session-id': sessionId,
        'x-amzn-requestid': requestId,
      });
      res.end();
      return;
    }
    if (req.method === 'GET') return json(res, requestId, runtime.getSession(sessionId));
    if (req.method === 'DELETE') return json(res, requestId, runtime.deleteSession(localeId, sessionId));
    throw new LexStandInError('ValidationException', `Method ${req.method} is not allowed on a session.`);
  } catch (err) {
    const e = err instanceof LexStandInError ? err : new LexStandInError('InternalServerException', String(err), { cause: err });
    res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.type, 'x-amzn-requestid': requestId });
    res.end(JSON.stringify({ message: e.message }));
  }
}

function json(res: ServerResponse, requestId: string, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
  res.end(JSON.stringify(body));
}
