// Benchmark of a FastLexBot unit test's set-up: from `new FastLexBot(...)` to the first answer of the offline Lex
// runtime, with the bot read from the construct tree (`fastLexBotDefinition`, no synth) against the same bot read
// from a synthesized cloud assembly (`app.synth()` then `startLexStandIn({ assembly })`). Both run the prebundled
// fulfillment handler in-process. Median of 7 after 1 warm-up each. Writes bench/results/fast-lex-bot.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { App, Stack } from 'aws-cdk-lib';
import { FastLexBot } from '../src';
import { LOCAL_CREDENTIALS, fastLexBotDefinition, startLexStandIn, type LexStandIn } from '../src/testing';

const SAMPLES = 7;
const root = resolve(__dirname, '..');
const ENV = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

function bot(): FastLexBot {
  const stack = new Stack(new App(), 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  return new FastLexBot(stack, 'Bot', {
    intents: [
      { intentName: 'GreetingIntent', utterances: ['hello', 'good morning'], staticAnswer: 'Hello!' },
      {
        intentName: 'OrderIntent', utterances: ['order a pizza'], staticAnswer: 'Ordered.',
        slots: [{ name: 'Size', slotTypeName: 'Size', prompt: 'Which size?' }], confirmation: { prompt: 'A {Size} pizza?', declination: 'Cancelled.' },
      },
    ],
    slotTypes: [{ name: 'Size', values: [{ value: 'small' }, { value: 'large' }] }],
  });
}

async function firstAnswer(lex: LexStandIn): Promise<void> {
  const client = new LexRuntimeV2Client({ endpoint: lex.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    const out = await client.send(new RecognizeTextCommand({ botId: lex.botId, botAliasId: lex.botAliasId, localeId: 'en_US', sessionId: 'bench-1', text: 'hello' }));
    if (out.messages?.[0]?.content !== 'Hello!') throw new Error(`unexpected answer ${JSON.stringify(out.messages)}`);
  } finally {
    client.destroy();
    await lex.close();
  }
}

const fromConstruct = async () => firstAnswer(await startLexStandIn({ bot: fastLexBotDefinition(bot(), { nodeModulesFrom: root }), environment: ENV }));
const fromAssembly = async () => {
  const b = bot();
  const assembly = (b.node.root as App).synth().directory;
  await firstAnswer(await startLexStandIn({ assembly, nodeModulesFrom: root, environment: ENV }));
};

async function median(run: () => Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  const construct = await median(fromConstruct);
  const assembly = await median(fromAssembly);
  const results = {
    samples: SAMPLES,
    fromConstructTreeMs: Math.round(construct),
    fromSynthesizedAssemblyMs: Math.round(assembly),
    note: 'new FastLexBot to the first answer of the offline Lex runtime (prebundled fulfillment handler in-process), median',
  };
  console.log(`FastLexBot to first offline answer, median of ${SAMPLES}: from the construct tree ${results.fromConstructTreeMs} ms, `
    + `through app.synth() and cdk.out ${results.fromSynthesizedAssemblyMs} ms`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'fast-lex-bot.json'), JSON.stringify(results, null, 2) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
