// The offline response-streaming runtime: a handler wrapped by awslambda.streamifyResponse, run as a RESPONSE_STREAM
// function URL runs it. Lambda docs: "Writing response streaming-enabled Lambda functions"
// (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html): HttpResponseStream.from sets the
// status and headers before the body; a handler that sets none answers 200.
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { installAwsLambdaGlobal, invokeStreaming, isStreamingHandler } from '../../src/testing/lambda-streaming';

type Awslambda = {
  streamifyResponse<T>(h: T): T;
  HttpResponseStream: { from(s: Writable, m: { statusCode: number; headers?: Record<string, string> }): Writable };
};

function run(handler: (event: unknown, stream: Writable) => Promise<void>) {
  const seen: Array<{ at: 'head'; status: number; headers: Record<string, string> } | { at: 'chunk'; text: string }> = [];
  const done = invokeStreaming(handler as never, {}, {}, {
    head: (status, headers) => seen.push({ at: 'head', status, headers }),
    chunk: (data) => seen.push({ at: 'chunk', text: data.toString('utf8') }),
  });
  return { seen, done };
}

describe('the offline awslambda global and RESPONSE_STREAM invoker', () => {
  it('adds streamifyResponse and HttpResponseStream beside what the SDK\'s invoke store already put on awslambda', () => {
    const g = globalThis as { awslambda?: Record<string, unknown> };
    const before = g.awslambda;
    g.awslambda = { InvokeStore: 'kept' };
    try {
      installAwsLambdaGlobal();
      expect(g.awslambda.InvokeStore).toBe('kept');
      expect(typeof g.awslambda.streamifyResponse).toBe('function');
      const wrapped = (g.awslambda as unknown as Awslambda).streamifyResponse(async () => undefined);
      expect(isStreamingHandler(wrapped)).toBe(true);
      expect(isStreamingHandler(async () => undefined)).toBe(false);
    } finally {
      g.awslambda = before;
    }
  });

  it('sends the status and headers first, then every chunk as it is written, not at the end', async () => {
    installAwsLambdaGlobal();
    const lambda = (globalThis as unknown as { awslambda: Awslambda }).awslambda;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const { seen, done } = run(async (_event, raw) => {
      const out = lambda.HttpResponseStream.from(raw, { statusCode: 201, headers: { 'content-type': 'application/x-ndjson' } });
      out.write('one\n');
      await gate;
      out.write('two\n');
      out.end();
    });
    await new Promise((r) => setTimeout(r, 20));
    const beforeRelease = [...seen];
    release();
    await done;

    expect(beforeRelease).toEqual([{ at: 'head', status: 201, headers: { 'content-type': 'application/x-ndjson' } }, { at: 'chunk', text: 'one\n' }]);
    expect(seen.slice(2)).toEqual([{ at: 'chunk', text: 'two\n' }]);
  });

  it('answers 200 with no headers when the handler writes a body without a prelude', async () => {
    const { seen, done } = run(async (_event, raw) => { raw.end('plain'); });
    await done;
    expect(seen).toEqual([{ at: 'head', status: 200, headers: {} }, { at: 'chunk', text: 'plain' }]);
  });
});
