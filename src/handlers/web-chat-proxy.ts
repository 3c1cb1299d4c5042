// Lambda function URL entry point of the web-chat proxy that LexWebChat deploys behind CloudFront, with response
// streaming (InvokeMode RESPONSE_STREAM). Configuration: FAST_LEX_ENV.webChat* (bot, alias, locale, table, rate limit,
// session lifetime, and the cache table, queue and deadline of streamed answers).
import type { Writable } from 'node:stream';
import { createStreamingWebChatProxy, streamingWebChatProxyOptionsFromEnvironment, type FunctionUrlEvent, type ResponseMetadata, type StreamingWebChatProxy } from '../runtime/web-chat';

/**
 * The global the Lambda Node.js runtime provides to response-streaming handlers ("Writing response streaming-enabled
 * Lambda functions", https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html).
 */
declare const awslambda: {
  streamifyResponse(handler: (event: FunctionUrlEvent, responseStream: Writable, context: unknown) => Promise<void>): unknown;
  HttpResponseStream: { from(stream: Writable, metadata: ResponseMetadata): Writable };
};

// Module scope, built on the first request: the clients survive warm invocations.
let proxy: StreamingWebChatProxy | undefined;

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  if (!proxy) {
    try {
      proxy = createStreamingWebChatProxy(streamingWebChatProxyOptionsFromEnvironment());
    } catch (err) {
      // A deployment mistake: the visitor reads that the chat is unavailable, the log says which variable is wrong.
      console.error(JSON.stringify({ level: 'ERROR', message: 'web chat configuration', error: `${(err as Error).name}: ${(err as Error).message}` }));
      const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
      out.end(JSON.stringify({ error: 'unavailable', message: 'The chat assistant is not available right now. Please try again later.', retryable: false }));
      return;
    }
  }
  await proxy(event, (metadata) => awslambda.HttpResponseStream.from(responseStream, metadata));
});
