// Lambda entry point of the Lex V2 fulfillment handler that CachedLexFulfillment deploys.
// Configuration: CACHE_ENV (cache table, queue, intents JSON) and FULFILLMENT_ENV (workflows, fallback intents).
import { DEFAULT_APOLOGY, createFulfillmentHandler, fulfillmentOptionsFromEnvironment, type LexFulfillmentHandler } from '../runtime/lex/fulfillment';
import { elicitIntentResponse } from '../runtime/lex/responses';

// Module scope, built on the first event: the cache's memory tier and the clients survive warm invocations.
let fulfill: LexFulfillmentHandler | undefined;

export async function handler(event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<unknown> {
  if (!fulfill) {
    try {
      fulfill = createFulfillmentHandler(fulfillmentOptionsFromEnvironment());
    } catch (err) {
      // A deployment mistake must not surface to Lex as an exception: the caller hears an apology, the log says why.
      console.error(JSON.stringify({ level: 'ERROR', message: 'fulfillment configuration', error: `${(err as Error).name}: ${(err as Error).message}` }));
      return elicitIntentResponse(process.env.FAST_LEX_APOLOGY || DEFAULT_APOLOGY, {});
    }
  }
  return fulfill(event, context);
}
