// Shared plumbing of the local stand-ins: every one listens on 127.0.0.1 only, on a free port, and stops cleanly.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

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

/** Resolves after `ms` milliseconds (0 resolves on the next turn of the event loop). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
