// Lambda entry point of the Lex V2 fulfillment handler that CachedLexFulfillment deploys. Configuration: FAST_LEX_ENV
// (cache table, queue, intents, workflows, fallback intents, apology; the call-context table during demo calls).
import { DEFAULT_APOLOGY } from '../shared/defaults';
import { FAST_LEX_ENV } from '../shared/env';
import { optionalEnv } from '../runtime/env';
import { createFulfillmentHandler, fulfillmentOptionsFromEnvironment, type CallContextReader, type LexFulfillmentHandler } from '../runtime/lex/fulfillment';
import { elicitIntentResponse } from '../runtime/lex/responses';

// Module scope, built on the first event: the cache's memory tier and the clients survive warm invocations.
let fulfill: LexFulfillmentHandler | undefined;

export async function handler(event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<unknown> {
  if (!fulfill) {
    try {
      fulfill = createFulfillmentHandler(fulfillmentOptionsFromEnvironment(process.env, { callContext: callContextFromEnvironment() }));
    } catch (err) {
      // A deployment mistake must not surface to Lex as an exception: the caller hears an apology, the log says why.
      console.error(JSON.stringify({ level: 'ERROR', message: 'fulfillment configuration', error: `${(err as Error).name}: ${(err as Error).message}` }));
      return elicitIntentResponse(optionalEnv(process.env, FAST_LEX_ENV.apology) ?? DEFAULT_APOLOGY, {});
    }
  }
  // The handler guards every answer itself (a shape Lex accepts; a silent caller's fallback back to the flow).
  return fulfill(event, context);
}

/**
 * The call-context reader when the function has a call-context table. The table name is read now, with the rest of
 * the configuration; the reader's module loads on the first call turn, as most bots never take calls.
 */
function callContextFromEnvironment(): CallContextReader | undefined {
  if (optionalEnv(process.env, FAST_LEX_ENV.callContextTable) === undefined) return undefined;
  // The configuration as it is now, at the handler's construction: the reader is built after an await.
  const env = { ...process.env };
  let read: CallContextReader | undefined;
  return async (interactionKey, call) => {
    if (!read) read = (await import('../runtime/workflow/call-context.js')).callContextReader(env);
    return read(interactionKey, call);
  };
}
