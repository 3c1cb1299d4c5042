// Listening for HTTP/1.1 and cleartext HTTP/2 on one local port, for stand-ins whose real SDK clients talk HTTP/2.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { duplexPair } from 'node:stream';
import type { LocalEndpoint } from './local-server';

/**
 * Listens on 127.0.0.1 for HTTP/1.1 and cleartext HTTP/2 on one port. SDK clients of services with streaming
 * operations (Bedrock Runtime, Lex V2 Runtime) talk HTTP/2: their default handler is NodeHttp2Handler, so an
 * `http://` endpoint gets HTTP/2 with prior knowledge; curl, fetch and `NodeHttpHandler` talk HTTP/1.1. The first
 * bytes say which: the HTTP/2 connection preface starts with `PRI `.
 */
export async function listenBothProtocols(onRequest: (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void, port = 0): Promise<LocalEndpoint> {
  const h1 = createServer(onRequest);
  const h2 = createHttp2Server(onRequest);
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      if (chunk.subarray(0, 4).toString('latin1') !== 'PRI ') {
        socket.pause();
        socket.unshift(chunk);
        h1.emit('connection', socket);
        socket.resume();
        return;
      }
      // The HTTP/2 session reads the socket's handle directly and would miss the bytes already read: hand it one
      // end of an in-memory pair instead, fed with those bytes and then the socket.
      const [inner, outer] = duplexPair();
      h2.emit('connection', inner);
      outer.write(chunk);
      socket.pipe(outer).pipe(socket);
      socket.once('close', () => outer.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    stop: () => new Promise<void>((resolve, reject) => {
      for (const socket of sockets) socket.destroy();
      h1.closeAllConnections();
      h2.close();
      front.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
