// Generation tickets through the real clients: a streamable miss takes the lease and writes a ticket instead of a
// queue message; one taker gets it; a voice turn or a page never gets one; what the ticket's holder stores serves
// the next asker.
import { describe, expect, it } from 'vitest';
import { DynamoResponseStore } from '../../../src/runtime/cache/dynamo-store';
import { SqsGenerationQueue, parseGenerationRequest } from '../../../src/runtime/cache/generation-request';
import { GenerationTickets, queueTicket, storeTicketAnswer } from '../../../src/runtime/cache/generation-ticket';
import { ResponseCache } from '../../../src/runtime/cache/response-cache';
import { createFulfillmentHandler } from '../../../src/runtime/lex/fulfillment';
import { WEB_CHAT_STREAM_TICKET_ATTRIBUTE } from '../../../src/shared/web-chat';
import type { IntentCacheConfigs } from '../../../src/shared/wire';
import { lexEvent } from '../../../src/testing';
import { DYNAMODB_BACKENDS } from '../../helpers/backends';
import { drain, freshQueues, freshTable, useLocalBackends } from './fixtures';

const STATIC = 'Atlas runs on Amazon Lex.';
const INTENTS: IntentCacheConfigs = {
  AboutTech: { staticAnswer: STATIC, prompt: 'Answer about the technology.', ttlSeconds: 3600, questions: {} },
  Hello: { staticAnswer: 'Hello!' },
};

describe.each(DYNAMODB_BACKENDS)('generation tickets on $name', (backend) => {
  const local = useLocalBackends(backend);

  async function world() {
    const tableName = await freshTable(local.ddb);
    const { queueUrl } = await freshQueues(local.sqs);
    const store = new DynamoResponseStore({ client: local.ddb, tableName });
    const queue = new SqsGenerationQueue(local.sqs, queueUrl);
    const cache = new ResponseCache({ intents: INTENTS, store, queue, onError: () => undefined });
    return { store, queue, queueUrl, cache, tickets: new GenerationTickets(local.ddb, tableName) };
  }

  it('writes a ticket instead of a queue message on a streamable miss, under the lease, and gives it to one taker', async () => {
    const w = await world();
    const first = await w.cache.respond('AboutTech', {}, { question: 'what runs the phone calls', streamable: true });
    const second = await w.cache.respond('AboutTech', {}, { question: 'what runs the phone calls', streamable: true });

    // The visitor has the static answer now (shown if the stream fails); the ticket holds the request, not the queue.
    expect(first).toMatchObject({ status: 'miss', answer: STATIC, enqueued: false, ticket: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await drain(local.sqs, w.queueUrl)).toHaveLength(0);
    // The lease is held: a second asker meanwhile gets the static answer and no ticket of its own.
    expect(second.ticket).toBeUndefined();
    const request = await w.tickets.take(first.ticket!);
    expect(request).toMatchObject({ intent: 'AboutTech', key: first.key, reason: 'miss', question: { text: 'what runs the phone calls' } });
    expect(request!.prompt).toContain('<question>what runs the phone calls</question>');
    expect(await w.tickets.take(first.ticket!)).toBeUndefined();
    expect(await w.tickets.take('not-a-ticket')).toBeUndefined();

    // What the holder stores is the next asker's answer, and the lease is free again.
    await storeTicketAnswer(request!, 'Amazon Connect places the calls.', { store: w.store });
    const next = await new ResponseCache({ intents: INTENTS, store: w.store, queue: w.queue }).respond('AboutTech', {}, { question: 'what runs the phone calls' });
    expect(next).toMatchObject({ status: 'l2-hit', answer: 'Amazon Connect places the calls.' });
    expect(await w.store.claimRefresh(first.key, 1000)).toBe(true);
  });

  it('hands a failed ticket to the generator queue, keeping the lease for the worker', async () => {
    const w = await world();
    const { ticket, key } = await w.cache.respond('AboutTech', {}, { question: 'which model writes the answers', streamable: true });
    const request = (await w.tickets.take(ticket!))!;

    expect(await queueTicket(request, { store: w.store, queue: w.queue })).toBe(true);
    const queued = (await drain(local.sqs, w.queueUrl)).map((m) => parseGenerationRequest(m.Body!));
    expect(queued).toEqual([expect.objectContaining({ key, reason: 'sync-failed', question: expect.objectContaining({ text: 'which model writes the answers' }) })]);
    expect(await w.store.claimRefresh(key, 1000)).toBe(false);
  });

  it('puts the ticket in the session for a text turn that says it streams, never for a voice turn, and drops an old one', async () => {
    const w = await world();
    const fulfill = createFulfillmentHandler({ cache: w.cache, log: () => undefined });
    const old = { [WEB_CHAT_STREAM_TICKET_ATTRIBUTE]: 'old' };
    const streams = { 'x-fast-lex-stream': '1' };
    const streamed = await fulfill(lexEvent({ intent: 'AboutTech', inputTranscript: 'what is under the hood', inputMode: 'Text', sessionAttributes: old, requestAttributes: streams }));
    const voice = await fulfill(lexEvent({ intent: 'AboutTech', inputTranscript: 'which AI do you use', inputMode: 'Speech', requestAttributes: streams }));
    const plain = await fulfill(lexEvent({ intent: 'AboutTech', inputTranscript: 'how does it work', inputMode: 'Text', sessionAttributes: old }));

    expect(streamed.sessionState.sessionAttributes?.[WEB_CHAT_STREAM_TICKET_ATTRIBUTE]).toMatch(/^[0-9a-f]{32}$/);
    expect(voice.sessionState.sessionAttributes?.[WEB_CHAT_STREAM_TICKET_ATTRIBUTE]).toBeUndefined();
    expect(plain.sessionState.sessionAttributes?.[WEB_CHAT_STREAM_TICKET_ATTRIBUTE]).toBeUndefined();
    // Voice and plain text queue their generations as before.
    expect(await drain(local.sqs, w.queueUrl)).toHaveLength(2);
  });
});
