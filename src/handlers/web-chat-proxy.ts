// Lambda function URL entry point of the web-chat proxy that LexWebChat deploys behind CloudFront.
// Configuration: FAST_LEX_ENV.webChat* (bot, alias, locale, table, rate limit, session lifetime).
import { createWebChatProxy, webChatProxyOptionsFromEnvironment, type FunctionUrlEvent, type FunctionUrlResult, type WebChatProxy } from '../runtime/web-chat';

// Module scope, built on the first request: the clients survive warm invocations.
let proxy: WebChatProxy | undefined;

export async function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
  if (!proxy) {
    try {
      proxy = createWebChatProxy(webChatProxyOptionsFromEnvironment());
    } catch (err) {
      // A deployment mistake: the visitor reads that the chat is unavailable, the log says which variable is wrong.
      console.error(JSON.stringify({ level: 'ERROR', message: 'web chat configuration', error: `${(err as Error).name}: ${(err as Error).message}` }));
      return {
        statusCode: 503,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify({ error: 'unavailable', message: 'The chat assistant is not available right now. Please try again later.', retryable: false }),
      };
    }
  }
  return proxy(event);
}
