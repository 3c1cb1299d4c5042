import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, startBedrockStandIn, type BedrockStandIn } from '../../src/testing';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

describe('Bedrock stand-in', () => {
  let bedrock: BedrockStandIn;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ models: [MODEL] });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => bedrock.reset());

  const converse = (text: string) => ({ modelId: MODEL, messages: [{ role: 'user' as const, content: [{ text }] }] });

  it('answers the real client over HTTP/2 (its default) with the Converse response shape', async () => {
    const client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });

    const out = await client.send(new ConverseCommand(converse('Hello')));

    expect(out.output?.message?.content?.[0]?.text).toBe('Stand-in answer to: Hello');
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(out.metrics?.latencyMs).toBeTypeOf('number');
    expect(bedrock.calls.map((c) => [c.modelId, c.prompt, c.outcome])).toEqual([[MODEL, 'Hello', 'answered']]);
  });

  it('answers over HTTP/1.1 too, with the REST-JSON error shape', async () => {
    bedrock.failNext('ThrottlingException');

    const res = await fetch(`${bedrock.endpoint}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(converse('x')),
    });

    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException/);
    expect(await res.json()).toEqual({ message: expect.stringMatching(/Too many requests/) });
  });

  it('raises the SDK\'s own exception classes, scripted in order, with the real status codes', async () => {
    const client = new BedrockRuntimeClient({
      endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1, requestHandler: new NodeHttpHandler(),
    });
    bedrock.failNext('ThrottlingException', 'ModelTimeoutException', 'ValidationException');

    type SdkError = { name: string; $metadata: { httpStatusCode: number } };
    const errors: SdkError[] = [];
    for (let i = 0; i < 3; i++) errors.push(await client.send(new ConverseCommand(converse('x'))).then(() => ({ name: 'none', $metadata: { httpStatusCode: 200 } }), (e: unknown) => e as SdkError));
    const ok = await client.send(new ConverseCommand(converse('after')));

    expect(errors[0]).toBeInstanceOf(ThrottlingException);
    expect(errors.map((e) => [e.name, e.$metadata.httpStatusCode])).toEqual([['ThrottlingException', 429], ['ModelTimeoutException', 408], ['ValidationException', 400]]);
    expect(ok.output?.message?.content?.[0]?.text).toBe('Stand-in answer to: after');
  });

  it('rejects an unknown model id with ValidationException', async () => {
    const client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

    const error = await client.send(new ConverseCommand({ ...converse('x'), modelId: 'anthropic.claude-3-haiku-20240307-v1:0' })).then(() => new Error('answered'), (e: unknown) => e as Error);

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('The provided model identifier is invalid.');
  });

  it('answers other routes with 404', async () => {
    const res = await fetch(`${bedrock.endpoint}/model/${MODEL}/invoke`, { method: 'POST', body: '{}' });

    expect(res.status).toBe(404);
  });
});
