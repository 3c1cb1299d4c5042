// cdk-fast-lex/runtime: what a Lambda author starts with (Node only, not part of the jsii assembly). Each feature has
// its own subpath with the rest: /lex, /cache, /secrets, /bedrock, /salesforce (jsforce), /workflow
// (libphonenumber-js) and /errors.
export { FAST_LEX_ENV } from '../shared/env';
export { ConfigurationError, FastLexError } from '../shared/errors';
export { ResponseCache, type CacheResponse } from './cache';
export {
  closeResponse,
  createFulfillmentHandler,
  delegateResponse,
  elicitIntentResponse,
  fulfillmentOptionsFromEnvironment,
  parseLexEvent,
  slotValues,
  type CustomRoute,
  type FulfillmentHandlerOptions,
  type LexV2Event,
  type LexV2Response,
  type RouteContext,
} from './lex';
export { getSecretJson, getSecretString } from './secrets';
