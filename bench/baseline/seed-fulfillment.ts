// The seed's current fulfillment handler, rebuilt for measurement only: every turn reads the Salesforce secret from
// Secrets Manager and waits for Bedrock before answering (seed: "HANDLER EXECUTION", steps 6 and 7).
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});
const bedrock = new BedrockRuntimeClient({ maxAttempts: 1 });

export async function handler(event: any): Promise<unknown> {
  await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SALESFORCE_SECRET_ID }));
  const intent = event.sessionState.intent.name;
  const out = await bedrock.send(new ConverseCommand({
    modelId: process.env.MODEL_ID,
    messages: [{ role: 'user', content: [{ text: `Answer the ${intent} question: ${event.inputTranscript}` }] }],
    inferenceConfig: { maxTokens: 512 },
  }));
  const text = out.output?.message?.content?.[0]?.text ?? '';
  return {
    sessionState: { sessionAttributes: event.sessionState.sessionAttributes ?? {}, dialogAction: { type: 'Close' }, intent: { ...event.sessionState.intent, state: 'Fulfilled' } },
    messages: [{ contentType: 'PlainText', content: text }],
  };
}
