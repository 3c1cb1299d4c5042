// Shared plumbing of the local stand-ins: every one listens on 127.0.0.1 only, on a free port, and stops cleanly.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Server, ServerResponse } from 'node:http';

/** A running local service. */
export interface LocalEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:49152`, to pass as a client's `endpoint`. */
  readonly endpoint: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops the service and closes its connections. */
  stop(): Promise<void>;
}

/** Credentials for pointing real AWS SDK clients at a stand-in; no AWS account is involved. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** Listens on 127.0.0.1 on the given port (0: a free one) and resolves with the endpoint. */
export async function listenLocal(server: Server, port = 0, scheme: 'http' | 'https' = 'http'): Promise<LocalEndpoint> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `${scheme}://127.0.0.1:${actual}`,
    port: actual,
    stop: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections?.();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

/** The whole body of a request (HTTP/1.1 or HTTP/2): every stand-in reads its requests this way. */
export function readRequestBody(req: { on(event: string, listener: (...args: any[]) => void): unknown }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The whole body of a request as UTF-8 text. */
export async function readRequestText(req: Parameters<typeof readRequestBody>[0]): Promise<string> {
  return (await readRequestBody(req)).toString('utf8');
}

/** A JSON request body as an object (an empty body is `{}`), or undefined when it is not a JSON object. */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw || '{}');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

/** How an AWS service writes its errors on the wire. */
export interface AwsErrorShape {
  /**
   * `rest-json`: the type in the `x-amzn-ErrorType` header (Bedrock, Connect, Lex); `json-1.0`: the type in the body's
   * `__type`, prefixed with the service's namespace (Step Functions).
   */
  readonly protocol: 'rest-json' | 'json-1.0';
  /** The error type, e.g. `ThrottlingException`. */
  readonly type: string;
  readonly message: string;
  /** The `x-amzn-ErrorType` value, or the `__type` namespace prefix. @default - the type alone */
  readonly qualifiedType?: string;
  /** The body member of the message: most services say `message`, Connect says `Message`. @default 'message' */
  readonly messageMember?: string;
}

/** Writes an AWS error response (once: a response already started is left alone). */
export function sendAwsError(res: ServerResponse, status: number, error: AwsErrorShape): void {
  if (res.headersSent) return;
  const member = error.messageMember ?? 'message';
  if (error.protocol === 'rest-json') {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-ErrorType': error.qualifiedType ?? error.type, 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify({ [member]: error.message }));
  } else {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID() });
    res.end(JSON.stringify({ __type: error.qualifiedType ?? error.type, [member]: error.message }));
  }
}

/** Resolves after `ms` milliseconds (0 resolves on the next turn of the event loop). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
