// The stand-in speaks the Lex V2 runtime protocol, checked through the real LexRuntimeV2Client against the Amazon
// Lex V2 API reference: "RecognizeText", "PutSession", "GetSession", "DeleteSession" (request syntax, response
// syntax and elements, errors) and "Common Errors".
import { gunzipSync } from 'node:zlib';
import {
  DeleteSessionCommand, GetSessionCommand, PutSessionCommand, RecognizeTextCommand, type LexRuntimeV2Client,
} from '@aws-sdk/client-lex-runtime-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLexStandIn, type LexStandIn } from '../../../src/testing/lex-stand-in';
import { close, lexClient, pizzaBot } from './bots';

let lex: LexStandIn;
let client: LexRuntimeV2Client;
let ids: { botId: string; botAliasId: string; localeId: string };
beforeAll(async () => {
  lex = await startLexStandIn({ bot: pizzaBot((e) => close(e, 'Ordered.')) });
  client = lexClient(lex.endpoint);
  ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId };
});
afterAll(async () => { client.destroy(); await lex.close(); });

describe('RecognizeText (POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text)', () => {
  it('answers messages, sessionState, interpretations with nluConfidence.score, and the sessionId', async () => {
    const out = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'rt-1', text: 'i want a pizza', requestAttributes: { channel: 'web' } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.sessionId).toBe('rt-1');
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'What size?' }]);
    expect(out.sessionState).toMatchObject({
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'Size' },
      intent: { name: 'OrderPizza', state: 'InProgress', confirmationState: 'None' },
      sessionAttributes: {},
      originatingRequestId: expect.any(String),
    });
    expect(out.interpretations?.[0]).toEqual({ intent: expect.objectContaining({ name: 'OrderPizza' }), nluConfidence: { score: 1 }, interpretationSource: 'Lex' });
    expect(out.requestAttributes).toEqual({ channel: 'web' });
  });

  it('takes sessionState.sessionAttributes from the request and keeps them for the session', async () => {
    await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'rt-2', text: 'hello', sessionState: { sessionAttributes: { visitor: 'returning' } } }));
    const next = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'rt-2', text: 'hello' }));
    expect(next.sessionState?.sessionAttributes).toEqual({ visitor: 'returning' });
  });
});

describe('PutSession (POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId})', () => {
  it('sets the state and answers it in the gzipped, base64-encoded x-amz-lex-* headers; the next turn continues from it', async () => {
    const out = await client.send(new PutSessionCommand({
      ...ids, sessionId: 'ps-1',
      sessionState: {
        sessionAttributes: { source: 'crm' },
        dialogAction: { type: 'ElicitSlot', slotToElicit: 'Count' },
        intent: { name: 'OrderPizza', state: 'InProgress', slots: { Size: { value: { originalValue: 'large', interpretedValue: 'large', resolvedValues: ['large'] } } } },
      },
      messages: [{ contentType: 'PlainText', content: 'How many?' }],
    }));
    expect(out.sessionId).toBe('ps-1');
    expect(out.contentType).toBe('text/plain; charset=utf-8');
    const unpack = (v?: string) => JSON.parse(gunzipSync(Buffer.from(v!, 'base64')).toString());
    expect(unpack(out.messages)).toEqual([{ contentType: 'PlainText', content: 'How many?' }]);
    expect(unpack(out.sessionState)).toMatchObject({ sessionAttributes: { source: 'crm' }, dialogAction: { type: 'ElicitSlot', slotToElicit: 'Count' } });

    const next = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'ps-1', text: 'three' }));
    expect(next.sessionState?.intent?.slots?.Count?.value?.interpretedValue).toBe('3');
    expect(next.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Phone' });
    expect(next.sessionState?.sessionAttributes).toEqual({ source: 'crm' });
  });
});

describe('GetSession (GET /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId})', () => {
  it('answers the session id, the last messages and interpretations, and the session state', async () => {
    await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'gs-1', text: 'order a small pizza' }));
    const out = await client.send(new GetSessionCommand({ ...ids, sessionId: 'gs-1' }));
    expect(out.sessionId).toBe('gs-1');
    expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'Your phone number?' }]);
    expect(out.interpretations?.[0]?.intent?.name).toBe('OrderPizza');
    expect(out.sessionState?.dialogAction).toMatchObject({ type: 'ElicitSlot', slotToElicit: 'Phone' });
  });

  // The page's description says "BadRequestException", a name the V2 runtime has no error for (its only 400 is
  // ValidationException); its Errors list gives ResourceNotFoundException (404), which the SDK models: the stand-in
  // follows the list.
  it('answers ResourceNotFoundException (404) for a session id it does not know', async () => {
    await expect(client.send(new GetSessionCommand({ ...ids, sessionId: 'never-seen' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 }, message: expect.stringContaining('never-seen'),
    });
  });
});

describe('DeleteSession (DELETE /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId})', () => {
  it('answers the bot, alias, locale and session ids, after which the session is gone', async () => {
    await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'ds-1', text: 'hello' }));
    const out = await client.send(new DeleteSessionCommand({ ...ids, sessionId: 'ds-1' }));
    expect(out).toMatchObject({ ...ids, sessionId: 'ds-1' });
    await expect(client.send(new GetSessionCommand({ ...ids, sessionId: 'ds-1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('Errors', () => {
  it('answers ResourceNotFoundException for an unknown bot, alias or locale', async () => {
    for (const wrong of [{ botId: 'NOSUCHBOT0' }, { botAliasId: 'NOSUCHALIA' }, { localeId: 'fr_FR' }]) {
      await expect(client.send(new RecognizeTextCommand({ ...ids, ...wrong, sessionId: 'err-1', text: 'hello' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 },
      });
    }
  });

  it('answers ValidationException (400) for a session id outside 2-100 characters of [0-9a-zA-Z._:-]', async () => {
    await expect(client.send(new RecognizeTextCommand({ ...ids, sessionId: 'no spaces!', text: 'hello' }))).rejects.toMatchObject({
      name: 'ValidationException', $metadata: { httpStatusCode: 400 }, message: expect.stringContaining("'sessionId'"),
    });
  });

  it('answers a scripted ThrottlingException (429) once, then serves again', async () => {
    lex.failNext('ThrottlingException');
    await expect(client.send(new RecognizeTextCommand({ ...ids, sessionId: 'thr-1', text: 'hello' }))).rejects.toMatchObject({
      name: 'ThrottlingException', $metadata: { httpStatusCode: 429 },
    });
    const out = await client.send(new RecognizeTextCommand({ ...ids, sessionId: 'thr-1', text: 'hello' }));
    expect(out.sessionState?.intent?.name).toBe('Hello');
  });

  it('says that RecognizeUtterance and StartConversation (audio) are not served, instead of pretending', async () => {
    const res = await fetch(`${lex.endpoint}/bots/${ids.botId}/botAliases/${ids.botAliasId}/botLocales/${ids.localeId}/sessions/s-1/utterance`, { method: 'POST', body: '' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(((await res.json()) as { message: string }).message).toMatch(/RecognizeUtterance \(audio\) is not served/);
  });
});
