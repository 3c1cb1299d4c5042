// The Atlas Engine bot, synthesized as `npm run atlas` synthesizes it, driven through the real LexRuntimeV2Client
// against the Lex stand-in: the bot (not a script) elicits and confirms the demo request, the bundled fulfillment
// handler answers as Lex invokes it, the workflow starts; then a caller on the Connect voice channel.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetSessionCommand, LexRuntimeV2Client, RecognizeTextCommand, type RecognizeTextCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../examples/atlas-engine/bin/app';
import { DEMO_REQUEST_ANSWER, INTENTS } from '../../../examples/atlas-engine/lib/bot-definition';
import { OfflineAtlas } from '../../../examples/atlas-engine/simulation/offline-atlas';
import type { LexV2Event } from '../../../src/runtime/lex-types';
import { LOCAL_CREDENTIALS } from '../../../src/testing/local-server';

const root = resolve(__dirname, '..', '..', '..');
const example = join(root, 'examples', 'atlas-engine');
let outdir: string;
let atlas: OfflineAtlas;
let client: LexRuntimeV2Client;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'atlas-lex-'));
  const app = new App({ outdir, context: JSON.parse(readFileSync(join(example, 'cdk.json'), 'utf8')).context });
  const { stack } = buildApp(app);
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8'));
  atlas = await OfflineAtlas.start({ template, assemblyDirectory: outdir, nodeModulesFrom: root, output: { turnLines: [] }, latencies: { connectMs: 50, bedrockMs: 20 } });
  client = new LexRuntimeV2Client({ endpoint: atlas.lex.endpoint, region: 'us-west-2', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await atlas?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

const say = (sessionId: string, text: string, sessionAttributes?: Record<string, string>): Promise<RecognizeTextCommandOutput> => client.send(new RecognizeTextCommand({
  botId: atlas.lex.botId, botAliasId: atlas.lex.botAliasId, localeId: 'en_US', sessionId, text, ...(sessionAttributes ? { sessionState: { sessionAttributes } } : {}),
}));
const answer = (out: RecognizeTextCommandOutput) => (out.messages ?? []).map((m) => m.content).join(' ');
const demo = INTENTS.find((i) => i.name === 'RequestDemoIntent')!;

describe('the Atlas bot through the offline Lex runtime', () => {
  it.each([
    ['hello', 'GreetingIntent'],
    ['Hi there!', 'GreetingIntent'],
    ['how does the technology work', 'AboutTechnologyIntent'],
    ['tell me about the demo', 'AboutDemoIntent'],
    ['please book a demo', 'RequestDemoIntent'],
    ['purple monkey dishwasher', 'FallbackIntent'],
  ])('classifies "%s" as %s by the sample utterances', async (text, intent) => {
    const out = await say(`classify-${intent}-${text.length}`, text);
    expect(out.interpretations?.[0]?.intent?.name).toBe(intent);
  });

  it('greets, answers a question, elicits every slot of the demo request with the bot prompts, confirms the number and starts the workflow', async () => {
    const session = 'web-visitor-1';
    const calls = atlas.lex.codeHookCalls.length;
    expect(answer(await say(session, 'hello'))).toBe(INTENTS[0].staticAnswer);
    expect(answer(await say(session, 'what technology do you use'))).toBe(INTENTS[1].staticAnswer);

    const asked: string[] = [];
    let out = await say(session, 'i want a demo');
    const answers: Record<string, string> = { FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines', PhoneNumber: 'four one five, five five five, two six seven one' };
    while (out.sessionState?.dialogAction?.type === 'ElicitSlot') {
      asked.push(answer(out));
      out = await say(session, answers[out.sessionState.dialogAction.slotToElicit!]);
    }
    expect(asked).toEqual(demo.slots!.map((s) => s.prompt));
    expect(out.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    expect(answer(out)).toBe('Shall we call 4155552671 for your demo, Ada?');
    const executionsBefore = atlas.executions.size;

    const done = await say(session, 'yes');
    expect(answer(done)).toBe(DEMO_REQUEST_ANSWER);
    expect(done.sessionState?.intent).toMatchObject({ name: 'RequestDemoIntent', state: 'Fulfilled', confirmationState: 'Confirmed' });
    expect(atlas.executions.size).toBe(executionsBefore + 1);
    const [executionArn, execution] = [...atlas.executions.entries()].at(-1)!;
    expect(execution.request.input).toMatchObject({ lead: { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines', phone: '4155552671' } });

    // Lex invoked the fulfillment hook four times (greeting, question, the confirmed request) and never a dialog hook.
    const events = atlas.lex.codeHookCalls.slice(calls).map((c) => c.event as LexV2Event);
    expect(events.map((e) => `${e.invocationSource} ${e.sessionState.intent?.name}`)).toEqual([
      'FulfillmentCodeHook GreetingIntent', 'FulfillmentCodeHook AboutTechnologyIntent', 'FulfillmentCodeHook RequestDemoIntent',
    ]);
    expect(events[2].sessionState.intent?.slots?.Company?.value).toEqual({ originalValue: 'Analytical Engines', interpretedValue: 'Analytical Engines', resolvedValues: [] });

    const call = await atlas.waitForCall(executionArn);
    await atlas.hangUp(call.contactId);
    expect((await execution.done).status).toBe('SUCCEEDED');
  });

  it('ends the demo request without a call when the visitor declines the number', async () => {
    const session = 'web-visitor-2';
    const executionsBefore = atlas.executions.size;
    for (const text of ['book a demo', 'Grace', 'Hopper', 'Globex', '+44 20 7183 8750']) await say(session, text);
    const declined = await say(session, 'no');
    expect(answer(declined)).toBe(demo.confirmation!.declination);
    expect(declined.sessionState?.intent).toMatchObject({ state: 'Failed', confirmationState: 'Denied' });
    expect(atlas.executions.size).toBe(executionsBefore);
  });

  it('keeps the session attributes the web page sent across turns the fulfillment handler answers', async () => {
    await say('web-visitor-3', 'hello', { campaign: 'winter' });
    await say('web-visitor-3', 'how does it work');
    const session = await client.send(new GetSessionCommand({ botId: atlas.lex.botId, botAliasId: atlas.lex.botAliasId, localeId: 'en_US', sessionId: 'web-visitor-3' }));
    expect(session.sessionState?.sessionAttributes).toMatchObject({ campaign: 'winter' });
  });

  it('answers a caller on the Connect voice channel whose contact flow passes the interactionKey', async () => {
    const calls = atlas.lex.codeHookCalls.length;
    const out = await atlas.lex.voiceTurn({ sessionId: 'connect-call-1', transcript: 'what happens in the demo', sessionAttributes: { interactionKey: 'ik-test-1' } });
    expect(out.messages.map((m) => ('content' in m ? m.content : ''))).toEqual([INTENTS[2].staticAnswer]);
    const event = atlas.lex.codeHookCalls[calls].event as LexV2Event;
    expect(event).toMatchObject({
      invocationSource: 'FulfillmentCodeHook', inputMode: 'Speech', inputTranscript: 'what happens in the demo',
      requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
      sessionState: { sessionAttributes: { interactionKey: 'ik-test-1' }, intent: { name: 'AboutDemoIntent' } },
    });
  });
});
