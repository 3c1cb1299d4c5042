// A loopback HTTP proxy in front of a local AWS JSON-protocol service (moto's Secrets Manager, dynalite): adds wire
// latency, counts calls per X-Amz-Target operation, and can answer with AWS's real JSON error shape for failures the
// backend cannot produce.
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
}

/** Starts the proxy on 127.0.0.1 in front of `upstream` (moto's endpoint). */
export async function startAwsJsonProxy(upstream: string, latencyMs = 0): Promise<AwsJsonProxy> {
  const target = new URL(upstream);
  const state = { calls: {} as Record<string, number>, latencyMs, failWith: undefined as AwsJsonError | undefined };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readRequestBody(req);
      const op = String(req.headers['x-amz-target'] ?? '').split('.').pop() || 'unknown';
      state.calls[op] = (state.calls[op] ?? 0) + 1;
      if (state.latencyMs > 0) await delay(state.latencyMs);
      const failure = state.failWith;
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
  return Object.assign(state, local);
}

