// A small bot for the web chat proxy tests, run by the offline Lex runtime: a greeting fulfilled by a code hook (so
// the tests read what the bot's function received), a demo request whose slot prompt is SSML plus a response card,
// and a fallback.
import type { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { webChatLexClient } from '../../../src/runtime/web-chat/proxy';
import type { LexBotDefinition } from '../../../src/testing';
import { LOCAL_CREDENTIALS } from '../../../src/testing/local-server';

export const GREETING = 'Hi! I can book you a demo.';
export const FALLBACK = 'Sorry, I can only book demos.';

const say = (value: string) => ({ message: { plainTextMessage: { value } } });

/** The web chat test bot on a published alias (the proxy refuses the test alias). */
export const WEB_CHAT_BOT: LexBotDefinition = {
  name: 'WebChatBot',
  botId: 'WEBCHATBOT',
  botAliasId: 'LIVEALIAS1',
  botAliasName: 'live',
  botVersion: '1',
  botLocales: [{
    localeId: 'en_US',
    nluConfidenceThreshold: 0.5,
    intents: [
      { name: 'Hello', sampleUtterances: [{ utterance: 'hello' }, { utterance: 'good morning' }], fulfillmentCodeHook: { enabled: true } },
      {
        name: 'BookDemo',
        sampleUtterances: [{ utterance: 'book a demo' }, { utterance: 'demo' }, { utterance: 'i want a demo' }],
        slots: [{
          name: 'CompanySize',
          slotTypeName: 'AMAZON.Number',
          valueElicitationSetting: {
            slotConstraint: 'Required',
            promptSpecification: {
              maxRetries: 1,
              messageGroupsList: [
                { message: { ssmlMessage: { value: '<speak>Which <emphasis>size</emphasis>?</speak>' } } },
                { message: { imageResponseCard: { title: 'Company size', buttons: [{ text: 'Small', value: '10' }, { text: 'Large', value: '1000' }] } } },
              ],
            },
          },
        }],
        intentClosingSetting: { closingResponse: { messageGroupsList: [say('Thanks, we will call you.')] } },
      },
      { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent', intentClosingSetting: { closingResponse: { messageGroupsList: [say(FALLBACK)] } } },
    ],
  }],
  codeHooks: {
    en_US: {
      lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:web-chat-bot:live',
      lambda: {
        name: 'web-chat-bot',
        // Fulfills Hello: closes the intent with the greeting, keeping the session attributes Lex sent.
        handler: (e) => {
          const event = e as { sessionState: { sessionAttributes?: Record<string, string>; intent: Record<string, unknown> } };
          return {
            sessionState: { sessionAttributes: event.sessionState.sessionAttributes, dialogAction: { type: 'Close' }, intent: { ...event.sessionState.intent, state: 'Fulfilled' } },
            messages: [{ contentType: 'PlainText', content: GREETING }],
          };
        },
      },
    },
  },
};

/** The real Lex V2 runtime client on a stand-in, over HTTP/1.1 as the proxy's default client is, without retries. */
export function lexClient(endpoint: string, requestTimeoutMs?: number): LexRuntimeV2Client {
  // The proxy's own client (its deadline and single attempt), pointed at the offline Lex runtime.
  return webChatLexClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, requestTimeoutMs });
}
