// Benchmark of the Bedrock stand-in at its default latency (Claude Haiku 4.5's published figures): what a caller
// measures through the real client and the runtime. Writes bench/results/bedrock-stand-in.json, prints a table.
//
// - Converse: ConverseGenerator.generate, wall clock per call (expected: 700 ms + output tokens / 150 tokens/s).
// - ConverseStream: ConverseGenerator.stream, time to the first delta and to the end.
// - Embedding: BedrockEmbedder.embed (expected: 50 ms).
// The questions differ, so the answers do (and their token counts, reported beside the times).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConverseGenerator } from '../src/runtime/bedrock/converse';
import { BedrockEmbedder } from '../src/runtime/bedrock/embeddings';
import { BEDROCK_STAND_IN_DEFAULT_LATENCY, localBedrockClient, startBedrockStandIn } from '../src/testing';

const QUESTIONS = [
  'what runs the phone calls?', 'do you use machine learning?', 'what technology do you use', 'can I pay by card',
  'how fast does Atlas answer', 'who built the Atlas Engine', 'what happens in the demo', 'can I get a refund',
  'how do you use Lex', 'when will my card arrive',
];
const SYSTEM = 'You answer for the Atlas Engine. Atlas Engine uses Amazon Connect for the phone calls. Atlas uses Amazon Lex to understand visitors.';
const prompt = (q: string) => `Answer the visitor in two sentences. <question>${q}</question>`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  const bedrock = await startBedrockStandIn();
  const client = localBedrockClient(bedrock.endpoint);
  const generator = new ConverseGenerator({ client });
  const embedder = new BedrockEmbedder({ client });
  try {
    await generator.generate('warm up', { system: SYSTEM });
    const converse: Array<{ ms: number; tokens: number }> = [];
    const stream: Array<{ firstMs: number; ms: number; tokens: number }> = [];
    const embed: number[] = [];
    for (const q of QUESTIONS) {
      const g = await generator.generate(prompt(q), { system: SYSTEM });
      converse.push({ ms: g.latencyMs, tokens: g.outputTokens });
      const s = generator.stream(prompt(q), { system: SYSTEM });
      for await (const _delta of s) { /* read to the end */ }
      const r = await s.result;
      stream.push({ firstMs: r.firstTokenMs, ms: r.latencyMs, tokens: r.outputTokens });
      const started = performance.now();
      await embedder.embed(q);
      embed.push(performance.now() - started);
    }
    const expected = (tokens: number) => BEDROCK_STAND_IN_DEFAULT_LATENCY.timeToFirstTokenMs + (tokens * 1000) / BEDROCK_STAND_IN_DEFAULT_LATENCY.outputTokensPerSecond;
    const result = {
      model: BEDROCK_STAND_IN_DEFAULT_LATENCY,
      calls: QUESTIONS.length,
      outputTokens: { min: Math.min(...converse.map((c) => c.tokens)), max: Math.max(...converse.map((c) => c.tokens)) },
      converseP50Ms: round(percentile(converse.map((c) => c.ms), 0.5)),
      converseOverModelP50Ms: round(percentile(converse.map((c) => c.ms - expected(c.tokens)), 0.5)),
      streamFirstTokenP50Ms: round(percentile(stream.map((s) => s.firstMs), 0.5)),
      streamTotalP50Ms: round(percentile(stream.map((s) => s.ms), 0.5)),
      streamOverModelP50Ms: round(percentile(stream.map((s) => s.ms - expected(s.tokens)), 0.5)),
      embeddingP50Ms: round(percentile(embed, 0.5)),
    };
    console.log('Bedrock stand-in at its default latency (Haiku 4.5: 0.7 s to the first token, 150 tokens/s; embeddings 50 ms)');
    console.log(`  answers of ${result.outputTokens.min}-${result.outputTokens.max} tokens, ${result.calls} questions`);
    console.log(`  Converse            p50 ${result.converseP50Ms} ms (model + ${result.converseOverModelP50Ms} ms)`);
    console.log(`  ConverseStream      first token p50 ${result.streamFirstTokenP50Ms} ms, whole p50 ${result.streamTotalP50Ms} ms (model + ${result.streamOverModelP50Ms} ms)`);
    console.log(`  InvokeModel (Titan) p50 ${result.embeddingP50Ms} ms`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bedrock-stand-in.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    client.destroy();
    await bedrock.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
