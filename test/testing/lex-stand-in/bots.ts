// Bots for the Lex stand-in tests: a small pizza-order bot written as CfnBot props, with code hooks run in-process.
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import type { LexV2Event, LexV2Response } from '../../../src/runtime/lex-types';
import { LOCAL_CREDENTIALS } from '../../../src/testing/local-server';
import type { BotIntent, LexBotDefinition } from '../../../src/testing/lex-stand-in';

const say = (value: string) => ({ message: { plainTextMessage: { value } } });
const prompt = (value: string, maxRetries = 1) => ({ maxRetries, messageGroupsList: [say(value)] });

export const ORDER_PIZZA: BotIntent = {
  name: 'OrderPizza',
  sampleUtterances: [{ utterance: 'i want a pizza' }, { utterance: 'order a {Size} pizza' }, { utterance: 'can i get a pizza' }],
  slots: [
    { name: 'Size', slotTypeName: 'PizzaSize', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: prompt('What size?') } },
    { name: 'Count', slotTypeName: 'AMAZON.Number', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: prompt('How many?') } },
    { name: 'Phone', slotTypeName: 'AMAZON.PhoneNumber', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: prompt('Your phone number?') } },
    { name: 'Note', slotTypeName: 'AMAZON.FreeFormInput', valueElicitationSetting: { slotConstraint: 'Optional', promptSpecification: prompt('Any note?') } },
  ],
  // Phone before Count: elicitation follows the priorities, not the order of definition.
  slotPriorities: [{ priority: 1, slotName: 'Size' }, { priority: 3, slotName: 'Count' }, { priority: 2, slotName: 'Phone' }],
  intentConfirmationSetting: {
    promptSpecification: prompt('{Count} {Size} pizzas, and we call {Phone}. Shall I order?'),
    declinationResponse: { messageGroupsList: [say('Okay, no pizza then.')] },
  },
  fulfillmentCodeHook: { enabled: true },
};

/** A pizza bot; `hook` answers its code hook (alias ARN `...:function:pizza:live`). */
export function pizzaBot(hook?: (event: LexV2Event) => unknown, intents: { orderPizza?: Partial<BotIntent>; hello?: Partial<BotIntent>; more?: BotIntent[] } = {}): LexBotDefinition {
  return {
    name: 'PizzaBot',
    botId: 'PIZZABOT01',
    botAliasId: 'LIVEALIAS1',
    botAliasName: 'live',
    botVersion: '3',
    idleSessionTtlInSeconds: 60,
    botLocales: [{
      localeId: 'en_US',
      nluConfidenceThreshold: 0.5,
      slotTypes: [{
        name: 'PizzaSize',
        valueSelectionSetting: { resolutionStrategy: 'TOP_RESOLUTION' },
        slotTypeValues: [{ sampleValue: { value: 'large' }, synonyms: [{ value: 'big' }, { value: 'family' }] }, { sampleValue: { value: 'small' }, synonyms: [{ value: 'little' }] }],
      }],
      intents: [
        { name: 'Hello', sampleUtterances: [{ utterance: 'hello' }, { utterance: 'good morning' }], intentClosingSetting: { closingResponse: { messageGroupsList: [say('Hi! Want a pizza?')] } }, ...intents.hello },
        { ...ORDER_PIZZA, ...intents.orderPizza },
        ...(intents.more ?? []),
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', intentClosingSetting: { closingResponse: { messageGroupsList: [say('Sorry, I only do pizza.')] } } },
      ],
    }],
    codeHooks: hook ? { en_US: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:pizza:live', lambda: { name: 'pizza', handler: (e) => hook(e as LexV2Event) } } } : undefined,
  };
}

/** A fulfillment answer that closes the intent with one message. */
export function close(event: LexV2Event, content: string, sessionAttributes = event.sessionState.sessionAttributes): LexV2Response {
  return {
    sessionState: { sessionAttributes, dialogAction: { type: 'Close' }, intent: { ...event.sessionState.intent!, state: 'Fulfilled' } },
    messages: [{ contentType: 'PlainText', content }],
  };
}

/** The real Lex V2 runtime client, pointed at a stand-in. */
export function lexClient(endpoint: string): LexRuntimeV2Client {
  return new LexRuntimeV2Client({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}
