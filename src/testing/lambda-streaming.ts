// Lambda response streaming offline: the `awslambda` global the Node.js runtime gives streaming handlers, and an
// invoker that runs such a handler as a RESPONSE_STREAM function URL does (status and headers first, then the body).
// Lambda docs: "Writing response streaming-enabled Lambda functions"
// (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html) and "Invoking a response streaming
// enabled function using Lambda function URLs" (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html).
import { PassThrough, type Writable } from 'node:stream';

/** The marker the runtime reads on a handler `streamifyResponse` returned. */
export const STREAMING_HANDLER = Symbol.for('aws.lambda.runtime.handler.streaming');
/** The content type the runtime gives a stream that carries an HTTP prelude. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** Eight NUL bytes end the prelude (the status and headers, JSON) before the body. */
const PRELUDE_END = Buffer.alloc(8);

/** Status, headers and cookies of a streamed response, as `HttpResponseStream.from` takes them. */
export interface StreamPrelude {
  readonly statusCode?: number;
  readonly headers?: Record<string, string>;
  readonly cookies?: string[];
}

/**
 * Gives `globalThis.awslambda` the streaming members (where the process lacks them) so a streaming bundle can load
 * outside Lambda. The object may already exist: the AWS SDK's invoke store (`@aws/lambda-invoke-store`) creates it
 * for its own member, so the members are added, never the object replaced.
 */
export function installAwsLambdaGlobal(): void {
  const g = globalThis as { awslambda?: Record<string, unknown> };
  g.awslambda ??= {};
  if (typeof g.awslambda.streamifyResponse === 'function') return;
  Object.assign(g.awslambda, {
    streamifyResponse<T extends (...args: never[]) => unknown>(handler: T): T {
      Object.defineProperty(handler, STREAMING_HANDLER, { value: 'response' });
      return handler;
    },
    HttpResponseStream: {
      from(stream: Writable & { setContentType?: (type: string) => void }, prelude: StreamPrelude): Writable {
        stream.setContentType?.(HTTP_INTEGRATION_CONTENT_TYPE);
        stream.write(Buffer.concat([Buffer.from(JSON.stringify(prelude)), PRELUDE_END]));
        return stream;
      },
    },
  });
}

/** True for a handler wrapped by `awslambda.streamifyResponse`. */
export function isStreamingHandler(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[STREAMING_HANDLER] === 'response';
}

/** Where `invokeStreaming` sends the response: the prelude once, then each body chunk as it is written. */
export interface StreamingSink {
  head(statusCode: number, headers: Record<string, string>): void;
  chunk(data: Buffer): void;
}

/**
 * Calls a streaming handler with a response stream and relays what it writes: the prelude (200 and no headers when
 * the handler writes none, as the function URL does) then every chunk at once. Resolves when the handler's promise
 * settles and the stream has ended.
 */
export async function invokeStreaming(handler: (event: unknown, stream: Writable, context: unknown) => unknown, event: unknown, context: unknown, sink: StreamingSink): Promise<void> {
  const stream = new PassThrough() as PassThrough & { setContentType?: (type: string) => void };
  let contentType: string | undefined;
  stream.setContentType = (type) => { contentType = type; };
  let pending: Buffer | undefined = Buffer.alloc(0);
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('data', (data: Buffer) => {
      if (pending === undefined) {
        sink.chunk(data);
        return;
      }
      if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) {
        pending = undefined;
        sink.head(200, {});
        sink.chunk(data);
        return;
      }
      pending = Buffer.concat([pending, data]);
      const end = pending.indexOf(PRELUDE_END);
      if (end < 0) return;
      const prelude = JSON.parse(pending.subarray(0, end).toString('utf8')) as StreamPrelude;
      const rest = pending.subarray(end + PRELUDE_END.length);
      pending = undefined;
      sink.head(prelude.statusCode ?? 200, prelude.headers ?? {});
      if (rest.length > 0) sink.chunk(rest);
    });
    stream.on('end', () => {
      if (pending !== undefined) sink.head(200, {});
      resolve();
    });
    stream.on('error', reject);
  });
  await handler(event, stream, context);
  if (!stream.writableEnded) stream.end();
  await ended;
}
