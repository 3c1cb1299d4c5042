// Benchmark of the offline Lex runtime: what one RecognizeText turn costs through the real LexRuntimeV2Client (HTTP/2
// on loopback, SigV4 signing, the stand-in's classification and dialog management), so offline turn figures can be
// read with it in mind. Writes bench/results/lex-stand-in.json and prints a table; asserts nothing about time.
// - Lex-only turn: the bot answers a slot prompt itself (no code hook).
// - Code hook turn: an intent fulfilled by an in-process hook that answers at once.
// - Classification: classify() alone on a 60-intent locale (20 samples each).
// - Slot values: resolveSlotValue() over the modelled built-in types; the gazetteer's first load (AMAZON.City) apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { LOCAL_CREDENTIALS } from '../src/testing/local-server';
import { classify, resolveSlotValue, startLexStandIn, type BotIntent } from '../src/testing/lex-stand-in';

const TURNS = 300;
const say = (value: string) => [{ message: { plainTextMessage: { value } } }];
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function main(): Promise<void> {
  const lex = await startLexStandIn({
    bot: {
      name: 'BenchBot', botId: 'BENCHBOT01',
      botLocales: [{
        localeId: 'en_US',
        intents: [
          { name: 'Order', sampleUtterances: [{ utterance: 'i want to order' }], slots: [{ name: 'Count', slotTypeName: 'AMAZON.Number', valueElicitationSetting: { slotConstraint: 'Required', promptSpecification: { maxRetries: 1, messageGroupsList: say('How many?') } } }] },
          { name: 'Hello', sampleUtterances: [{ utterance: 'hello' }], fulfillmentCodeHook: { enabled: true } },
          { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
        ],
      }],
      codeHooks: {
        en_US: {
          lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench:live',
          lambda: { handler: (e: any) => ({ sessionState: { sessionAttributes: {}, dialogAction: { type: 'Close' }, intent: { ...e.sessionState.intent, state: 'Fulfilled' } }, messages: [{ contentType: 'PlainText', content: 'Hi.' }] }) },
        },
      },
    },
  });
  const client = new LexRuntimeV2Client({ endpoint: lex.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const ids = { botId: lex.botId, botAliasId: lex.botAliasId, localeId: lex.localeId };
  const time = async (text: string, i: number) => {
    const started = performance.now();
    await client.send(new RecognizeTextCommand({ ...ids, sessionId: `bench-${text.length}-${i}`, text }));
    return performance.now() - started;
  };
  try {
    for (let i = 0; i < 20; i++) await time('hello', -i); // warm up the connection and the JIT
    const lexOnly: number[] = [];
    const hook: number[] = [];
    for (let i = 0; i < TURNS; i++) lexOnly.push(await time('i want to order', i));
    for (let i = 0; i < TURNS; i++) hook.push(await time('hello', i));

    const intents: BotIntent[] = Array.from({ length: 60 }, (_, n) => ({
      name: `Intent${n}`, sampleUtterances: Array.from({ length: 20 }, (_, k) => ({ utterance: `please help me with topic ${n} variant ${k} today` })),
    }));
    const locale = { localeId: 'en_US', intents };
    const classifyMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      classify(`help me with topic ${i % 60} please`, locale);
      classifyMs.push(performance.now() - started);
    }

    // The first AMAZON.City value loads city-timezones (about 7,300 cities) once per process.
    let started = performance.now();
    resolveSlotValue('Seattle', 'AMAZON.City');
    const gazetteerLoadMs = performance.now() - started;
    const samples: Array<[string, string]> = [['Seattle', 'AMAZON.City'], ['Germany', 'AMAZON.Country'], ['next week', 'AMAZON.Date'], ['5 in the evening', 'AMAZON.Time'],
      ['five hours ten minutes', 'AMAZON.Duration'], ['jane dot doe at example dot com', 'AMAZON.EmailAddress'], ['four one five five five five two six seven one', 'AMAZON.PhoneNumber'],
      ['twenty five percent', 'AMAZON.Percentage'], ['two hundred and five', 'AMAZON.Number'], ['yes please', 'AMAZON.Confirmation']];
    const slotMs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const [text, type] = samples[i % samples.length];
      started = performance.now();
      resolveSlotValue(text, type);
      slotMs.push(performance.now() - started);
    }

    const metrics = {
      lexOnlyTurnMs: { p50: percentile(lexOnly, 0.5), p95: percentile(lexOnly, 0.95) },
      codeHookTurnMs: { p50: percentile(hook, 0.5), p95: percentile(hook, 0.95) },
      classify60x20Ms: { p50: percentile(classifyMs, 0.5), p95: percentile(classifyMs, 0.95) },
      builtInSlotValueMs: { p50: percentile(slotMs, 0.5), p95: percentile(slotMs, 0.95) },
      gazetteerFirstLoadMs: gazetteerLoadMs,
    };
    const round = (v: number) => Math.round(v * 100) / 100;
    console.log('| RecognizeText through the Lex stand-in | p50 ms | p95 ms |');
    console.log('| --- | --- | --- |');
    console.log(`| Lex-only turn (slot prompt) | ${round(metrics.lexOnlyTurnMs.p50)} | ${round(metrics.lexOnlyTurnMs.p95)} |`);
    console.log(`| Turn with an in-process code hook | ${round(metrics.codeHookTurnMs.p50)} | ${round(metrics.codeHookTurnMs.p95)} |`);
    console.log(`| classify() alone, 60 intents x 20 samples | ${round(metrics.classify60x20Ms.p50)} | ${round(metrics.classify60x20Ms.p95)} |`);
    console.log(`| resolveSlotValue(), 10 built-in types | ${round(metrics.builtInSlotValueMs.p50)} | ${round(metrics.builtInSlotValueMs.p95)} |`);
    console.log(`| first AMAZON.City value (loads the gazetteer) | ${round(gazetteerLoadMs)} | |`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lex-stand-in.json'), `${JSON.stringify({
      generatedAt: new Date().toISOString(), node: process.version, config: { turns: TURNS, note: 'One session per turn, one after another, HTTP/2 on loopback.' }, metrics,
    }, null, 2)}\n`);
  } finally {
    client.destroy();
    await lex.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
