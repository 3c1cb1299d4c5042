// The Bedrock stand-in's ConverseStream, decoded by the real client: events, pacing, errors before and during the
// stream. ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
// Its events: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
// Event-stream framing (prelude, headers, CRCs): https://docs.aws.amazon.com/lexv2/latest/dg/event-stream-encoding.html
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, ModelStreamErrorException, ThrottlingException,
  type ConverseStreamCommandInput, type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BEDROCK_STREAM_EXCEPTIONS, LOCAL_CREDENTIALS, offlineAnswer, startBedrockStandIn, type BedrockStandIn } from '../../src/testing';

const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const REQUEST: ConverseStreamCommandInput = {
  modelId: MODEL,
  messages: [{ role: 'user', content: [{ text: 'Answer briefly. <question>what runs the phone calls?</question>' }] }],
};

/** Every event the client decodes, and the error that ended the stream, if any. */
async function collect(client: BedrockRuntimeClient, input: ConverseStreamCommandInput, signal?: AbortSignal): Promise<{ events: ConverseStreamOutput[]; error?: Error }> {
  const events: ConverseStreamOutput[] = [];
  try {
    const out = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
    for await (const event of out.stream ?? []) events.push(event);
    return { events };
  } catch (err) {
    return { events, error: err as Error };
  }
}

const texts = (events: readonly ConverseStreamOutput[]) => events.flatMap((e) => (e.contentBlockDelta?.delta?.text !== undefined ? [e.contentBlockDelta.delta.text] : []));
const kinds = (events: readonly ConverseStreamOutput[]) => events.map((e) => Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined));

describe('Bedrock stand-in ConverseStream', () => {
  let bedrock: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ models: [MODEL], latencyMs: 0 });
    client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => bedrock?.stop());
  beforeEach(() => {
    bedrock.reset();
    bedrock.setLatency(0);
    bedrock.setResponder(offlineAnswer);
  });

  it('streams the Converse answer as messageStart, text deltas, contentBlockStop, messageStop and metadata', async () => {
    const whole = await client.send(new ConverseCommand(REQUEST));

    const { events, error } = await collect(client, REQUEST);

    expect(error).toBeUndefined();
    const deltas = texts(events);
    expect(kinds(events)).toEqual(['messageStart', ...deltas.map(() => 'contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(whole.output?.message?.content?.[0]?.text);
    expect(events[0].messageStart?.role).toBe('assistant');
    expect(events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    expect(events.at(-1)?.metadata?.usage).toEqual(whole.usage);
    expect(events.at(-1)?.metadata?.metrics?.latencyMs).toBeTypeOf('number');
    expect(bedrock.calls.map((c) => [c.operation, c.outcome])).toEqual([['converse', 'answered'], ['converse-stream', 'answered']]);
  });

  it('frames the events in application/vnd.amazon.eventstream, decodable by the SDK codec (over HTTP/1.1 too)', async () => {
    const res = await fetch(`${bedrock.endpoint}/model/${encodeURIComponent(MODEL)}/converse-stream`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(REQUEST),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());

    // Each message starts with its total length (4 bytes, big-endian); the codec checks both CRCs as it decodes.
    const codec = new EventStreamCodec((b) => Buffer.from(b).toString('utf8'), (s) => new Uint8Array(Buffer.from(s)));
    const messages = [];
    for (let at = 0; at < bytes.length;) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
      messages.push(codec.decode(bytes.subarray(at, at + length)));
      at += length;
    }
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(messages[0].headers).toMatchObject({ ':message-type': { value: 'event' }, ':event-type': { value: 'messageStart' }, ':content-type': { value: 'application/json' } });
    expect(JSON.parse(Buffer.from(messages[1].body).toString())).toEqual({ contentBlockIndex: 0, delta: { text: 'The' } });
    expect(messages.at(-1)?.headers[':event-type']?.value).toBe('metadata');
  });

  it('stops at inferenceConfig.maxTokens with messageStop max_tokens', async () => {
    const { events } = await collect(client, { ...REQUEST, inferenceConfig: { maxTokens: 4 } });

    expect(texts(events).join('')).toBe('The offline Bedrock stand-in,');
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('max_tokens');
  });

  it('sends a scripted error before the stream as the HTTP error the SDK raises from send', async () => {
    bedrock.failNext('ThrottlingException');

    const { events, error } = await collect(client, REQUEST);

    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
  });

  it('refuses an unknown model with ValidationException before the stream', async () => {
    const { error } = await collect(client, { ...REQUEST, modelId: 'anthropic.claude-v2' });

    expect(error?.name).toBe('ValidationException');
  });

  it('cuts a stream after N chunks with a modelStreamErrorException event, raised as the SDK exception', async () => {
    bedrock.interruptNextStream(3, 'modelStreamErrorException');

    const { events, error } = await collect(client, REQUEST);

    expect(texts(events)).toEqual(['The', ' offline', ' Bedrock']);
    expect(error).toBeInstanceOf(ModelStreamErrorException);
    expect(error).toMatchObject({ originalStatusCode: 500 });
    expect(bedrock.calls.map((c) => c.outcome)).toEqual(['modelStreamErrorException']);
  });

  it.each(BEDROCK_STREAM_EXCEPTIONS)('raises a mid-stream %s as the SDK exception of that name', async (type) => {
    bedrock.interruptNextStream(1, type);

    const { events, error } = await collect(client, REQUEST);

    expect(texts(events)).toEqual(['The']);
    expect(error?.name).toBe(type[0].toUpperCase() + type.slice(1));
  });

  it('hangs a stream after N chunks until the client gives up', async () => {
    bedrock.interruptNextStream(2, 'hang');

    const { events } = await collect(client, REQUEST, AbortSignal.timeout(300));

    expect(texts(events)).toEqual(['The', ' offline']);
    expect(events.some((e) => e.messageStop)).toBe(false);
    expect(bedrock.calls.map((c) => c.outcome)).toEqual(['hung']);
  });
});

describe('Bedrock stand-in ConverseStream pacing', () => {
  let bedrock: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    bedrock = await startBedrockStandIn({ timeToFirstTokenMs: 0, outputTokensPerSecond: 2 });
    client = new BedrockRuntimeClient({ endpoint: bedrock.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => bedrock?.stop());

  it('sends the chunks at the output speed: at 2 tokens/s, a 1.2 s deadline sees the first chunks, not the end', async () => {
    const { events } = await collect(client, REQUEST, AbortSignal.timeout(1200));

    const received = texts(events).length;
    expect(received).toBeGreaterThanOrEqual(1);
    expect(received).toBeLessThan(10);
    expect(events.some((e) => e.messageStop)).toBe(false);
    await expect.poll(() => bedrock.calls.map((c) => c.outcome)).toEqual(['aborted']);
  });
});
