// A fulfillment handler of your own, deployed by CachedLexFulfillment (`fulfillmentCode`): one custom route (order
// status, answered from the slot), every other intent through the library's response cache, workflows and fallback.
import { closeResponse, createFulfillmentHandler, elicitIntentResponse, fulfillmentOptionsFromEnvironment } from 'cdk-fast-lex/runtime/lex';

// Module scope: the options (and, on the first turn, the cache and its clients) survive warm invocations.
export const handler = createFulfillmentHandler({
  // The environment the construct writes: cache table, queue, intents, workflows, fallback intents, apology.
  ...fulfillmentOptionsFromEnvironment(process.env),
  routes: {
    OrderStatusIntent: async ({ event, slots, sessionAttributes }) => {
      const order = slots.OrderNumber;
      if (!order) return elicitIntentResponse('Which order number should I look up?', sessionAttributes);
      // Your own lookup goes here (an order API, a table); the order number is not logged.
      return closeResponse(event, `Order ${order} has shipped and should arrive within two days.`, sessionAttributes);
    },
  },
});
