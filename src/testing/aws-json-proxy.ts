// A loopback HTTP proxy in front of a local AWS JSON-protocol service (moto's Secrets Manager, SQS and Step Functions,
// dynalite): adds wire latency, counts calls per X-Amz-Target operation, answers with AWS's real JSON error shape for
// failures the backend cannot produce (throttling, 5xx), and can hang: read the request and never answer.
import { createServer, request as httpRequest } from 'node:http';
import { delay, listenLocal, readRequestBody, type LocalEndpoint } from './local-server';

/** An AWS JSON-protocol error as the service sends it (`__type` + `message`, HTTP status). */
export interface AwsJsonError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export interface AwsJsonProxy extends LocalEndpoint {
  /** Calls seen per operation, e.g. `calls.GetSecretValue`. */
  readonly calls: Record<string, number>;
  /** Milliseconds added before each request is forwarded. */
  latencyMs: number;
  /** When set, every request gets this error instead of reaching moto. */
  failWith?: AwsJsonError;
  /** How many of the next requests get `failWith` (then it is cleared); undefined: every request while it is set. */
  failCount?: number;
  /** Only operations this accepts are failed or hung (e.g. `(op) => op === 'UpdateItem'`). @default - every operation */
  affects?: (operation: string) => boolean;
  /** When true, requests are read and never answered (the connection stays open until `stop` or `release`). */
  hang: boolean;
  /** Requests held by `hang` right now. */
  readonly held: number;
  /** Ends the hang: every held request is forwarded now, and new ones are forwarded too. */
  release(): void;
}

/** AWS's throttling error of a JSON-protocol service, e.g. `throttling('ProvisionedThroughputExceededException')`. */
export function throttling(type = 'ThrottlingException'): AwsJsonError {
  return { status: 400, type, message: 'Rate exceeded' };
}

/** A 500 from the service, as during an outage. */
export function serviceUnavailable(type = 'InternalServerError'): AwsJsonError {
  return { status: 500, type, message: 'Internal server error' };
}

/** Starts the proxy on 127.0.0.1 in front of `upstream` (moto's endpoint). */
export async function startAwsJsonProxy(upstream: string, latencyMs = 0): Promise<AwsJsonProxy> {
  const target = new URL(upstream);
  const waiting: Array<() => void> = [];
  const state = {
    calls: {} as Record<string, number>, latencyMs, failWith: undefined as AwsJsonError | undefined, failCount: undefined as number | undefined,
    affects: undefined as ((operation: string) => boolean) | undefined, hang: false,
    get held() { return waiting.length; },
    release() { state.hang = false; for (const go of waiting.splice(0)) go(); },
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readRequestBody(req);
      const op = String(req.headers['x-amz-target'] ?? '').split('.').pop() || 'unknown';
      state.calls[op] = (state.calls[op] ?? 0) + 1;
      if (state.latencyMs > 0) await delay(state.latencyMs);
      const affected = !state.affects || state.affects(op);
      if (affected && state.hang) {
        await new Promise<void>((resolve) => {
          const done = () => { const i = waiting.indexOf(done); if (i >= 0) waiting.splice(i, 1); resolve(); };
          waiting.push(done);
          res.on('close', done);
        });
        if (res.destroyed) return;
      }
      const failure = affected ? state.failWith : undefined;
      if (failure && state.failCount !== undefined) {
        if (--state.failCount <= 0) { state.failWith = undefined; state.failCount = undefined; }
      }
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'proxy-injected' });
        res.end(JSON.stringify({ __type: failure.type, message: failure.message }));
        return;
      }
      const upstreamReq = httpRequest({
        host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers,
      }, (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      });
      upstreamReq.on('error', (err) => { res.writeHead(502); res.end(String(err)); });
      upstreamReq.end(body);
    })();
  });
  const local = await listenLocal(server);
  return Object.assign(state, local, {
    // Held requests end with their connections (closeAllConnections), not forwarded.
    stop: () => local.stop(),
  });
}

