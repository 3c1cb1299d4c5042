// Benchmark of per-question answers: writes bench/results/questions.json, one key per section, and prints a table.
//
// Section `matcher` (this file's `matcherSection`): the lexical matcher alone on the corpus pairs
// (test/corpus/questions.json), training and held-out apart: false reuse on the hard negatives, recall on every
// pair of wordings within a paraphrase group, and plain word-overlap Jaccard's recall at the same false-reuse rate
// (its threshold chosen on each split, which favours Jaccard); then QuestionIndex.nearest latency with 10,000
// answered questions in one index. The cache replay (`replay`) is another section: add its function to SECTIONS.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BedrockEmbedder } from '../src/runtime/bedrock/embeddings';
import { QuestionIndex } from '../src/runtime/cache/question-index';
import { DEFAULT_EMBEDDING_MODEL_ID } from '../src/shared/bedrock-defaults';
import { DEFAULT_EMBEDDING_THRESHOLD } from '../src/shared/defaults';
import { localBedrockClient, localDynamoDbClient, startBedrockStandIn, startLocalDynamoDb } from '../src/testing';
import { handlerLatencies, replayCorpus } from './question-replay';
import { DEFAULT_NEAR_MATCH_THRESHOLD, matchQuestions } from '../src/runtime/cache/question-match';
import { hardNegativePairs, loadQuestionCorpus, paraphrasePairs, type QuestionCorpus, type QuestionPair } from '../test/corpus/questions';

const INDEX_SIZE = 10_000;
const LOOKUPS = 5_000;
const WARMUP = 500;

/** The sections of questions.json, each computed by its own function. */
const SECTIONS: Record<string, (corpus: QuestionCorpus) => Promise<object>> = {
  matcher: matcherSection,
  replay: replaySection,
  handler: handlerSection,
};

/**
 * The corpus replayed through the real ResponseCache (dynalite, the Bedrock stand-in, the real worker): today's
 * intent-level key beside per-question answers, lexical only and with the embedding stage at its default threshold.
 * `falseReuses` counts answers served for a question of another paraphrase group, over both per-question modes.
 */
async function replaySection(corpus: QuestionCorpus): Promise<object> {
  const [dynamo, bedrock] = await Promise.all([startLocalDynamoDb(), startBedrockStandIn({ latencyMs: 0 })]);
  try {
    const ddb = localDynamoDbClient(dynamo.endpoint);
    const embedder = new BedrockEmbedder({ client: localBedrockClient(bedrock.endpoint) });
    const embedding = { embedder, config: { modelId: DEFAULT_EMBEDDING_MODEL_ID, threshold: DEFAULT_EMBEDDING_THRESHOLD } };
    const modes = [
      await replayCorpus({ ddb, bedrock, corpus, scope: 'intent' }),
      await replayCorpus({ ddb, bedrock, corpus, scope: 'question' }),
      await replayCorpus({ ddb, bedrock, corpus, scope: 'question', embedding }),
    ];
    // Lower embedding thresholds, to show what they trade (not the defaults: `falseReuses` counts the defaults only).
    const sweep = [];
    for (const threshold of [0.6, 0.75]) {
      const mode = await replayCorpus({ ddb, bedrock, corpus, scope: 'question', embedding: { embedder, config: { ...embedding.config, threshold } } });
      sweep.push({ ...mode, mode: `${mode.mode} at ${threshold}` });
    }
    console.log(`The corpus replayed through the cache (first pass, then ${modes[0].asked} questions; embedding threshold ${DEFAULT_EMBEDDING_THRESHOLD}, offline stand-in embedding):`);
    console.table(Object.fromEntries([...modes, ...sweep].map((m) => [m.mode, {
      'reuse rate': pct(m.reuseRate), exact: m.exactHits, near: m.nearHits, 'via embedding': m.embeddingHits, misses: m.misses,
      'false reuses': m.falseReuses, 'hard negatives reused': `${m.hardNegativeReuses}/${m.hardNegativesAsked}`, generations: m.generations,
      'embedding calls': m.embeddingCalls,
    }])));
    return {
      questionsReplayed: modes[0].asked,
      questionsInFirstPass: modes[1].firstPass,
      falseReuses: modes[1].falseReuses + modes[2].falseReuses,
      embeddingThreshold: DEFAULT_EMBEDDING_THRESHOLD,
      embedding: 'the test kit\'s deterministic stand-in (hashed words and character trigrams): not semantic',
      modes,
      embeddingThresholdSweep: sweep,
    };
  } finally {
    await Promise.all([dynamo.stop(), bedrock.stop()]);
  }
}

/** `respond` in the handler: exact hits from memory and from the table, near hits, with 10,000 answered questions. */
async function handlerSection(): Promise<object> {
  const dynamo = await startLocalDynamoDb();
  try {
    const figures = await handlerLatencies(localDynamoDbClient(dynamo.endpoint), INDEX_SIZE);
    console.log(`ResponseCache.respond of a per-question intent with ${figures.answeredQuestions} answered questions:`);
    console.table({ 'exact, memory': figures.exactL1, 'exact, table (dynalite)': figures.exactL2, 'near hit, memory': figures.nearHitMemory });
    return figures;
  } finally {
    await dynamo.stop();
  }
}

async function main(): Promise<void> {
  const corpus = loadQuestionCorpus();
  // `tsx bench/questions.ts replay handler` runs those sections only and keeps the others' last figures.
  const only = process.argv.slice(2);
  const file = join(__dirname, 'results', 'questions.json');
  const results: Record<string, object> = only.length > 0 && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (only.length === 0 || only.includes(name)) results[name] = await section(corpus);
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results/questions.json');
}

interface SplitFigures {
  readonly hardNegatives: number;
  readonly falseReuses: number;
  readonly falseReuseRate: number;
  readonly paraphrasePairs: number;
  readonly paraphraseRecall: number;
  readonly jaccard: { readonly threshold: number; readonly falseReuseRate: number; readonly paraphraseRecall: number };
}

async function matcherSection(corpus: QuestionCorpus): Promise<object> {
  const paraphrases = paraphrasePairs(corpus);
  const negatives = hardNegativePairs(corpus);
  const split = (heldOut: boolean) => figures(paraphrases.filter((p) => p.heldOut === heldOut), negatives.filter((p) => p.heldOut === heldOut));
  const training = split(false);
  const heldOut = split(true);
  const all = figures(paraphrases, negatives);
  const withoutSettings = figures(paraphrases.map(noSettings), negatives.map(noSettings));
  const latency = nearestLatency(corpus);

  const row = (f: SplitFigures) => ({
    'false reuse': `${f.falseReuses}/${f.hardNegatives} (${pct(f.falseReuseRate)})`,
    'paraphrase recall': `${pct(f.paraphraseRecall)} of ${f.paraphrasePairs}`,
    'Jaccard recall at same false reuse': `${pct(f.jaccard.paraphraseRecall)} (t=${f.jaccard.threshold}, false ${pct(f.jaccard.falseReuseRate)})`,
  });
  console.log(`Question matcher on the corpus (threshold ${DEFAULT_NEAR_MATCH_THRESHOLD}, each domain's settings):`);
  console.table({ training: row(training), heldOut: row(heldOut), all: row(all), 'all, no settings': row(withoutSettings) });
  console.log(`QuestionIndex.nearest with ${latency.indexSize} answered questions:`);
  console.table({ all: latency.all, hits: latency.hits, misses: latency.misses });
  return {
    threshold: DEFAULT_NEAR_MATCH_THRESHOLD,
    questions: corpus.domains.reduce((n, d) => n + d.groups.reduce((m, g) => m + g.questions.length, 0), 0),
    training,
    heldOut,
    all,
    allWithoutSettings: withoutSettings,
    falseReuses: all.falseReuses,
    nearest: latency,
  };
}

function figures(paraphrases: readonly QuestionPair[], negatives: readonly QuestionPair[]): SplitFigures {
  const reused = (p: QuestionPair) => matchQuestions(p.a, p.b, p.settings).reuse;
  const falseReuses = negatives.filter(reused).length;
  const falseReuseRate = falseReuses / negatives.length;
  return {
    hardNegatives: negatives.length,
    falseReuses,
    falseReuseRate: round(falseReuseRate, 4),
    paraphrasePairs: paraphrases.length,
    paraphraseRecall: round(paraphrases.filter(reused).length / paraphrases.length, 4),
    jaccard: jaccardAt(falseReuseRate, paraphrases, negatives),
  };
}

/** Plain word-overlap Jaccard: reuse when |A∩B| / |A∪B| >= t. The lowest t whose false reuse is at most `rate`
 *  (or, when none is, the t with the lowest false reuse it can reach), and its recall. */
function jaccardAt(rate: number, paraphrases: readonly QuestionPair[], negatives: readonly QuestionPair[]) {
  const neg = negatives.map((p) => jaccard(p.a, p.b));
  const para = paraphrases.map((p) => jaccard(p.a, p.b));
  const candidates = [...new Set([...neg, ...para])].sort((x, y) => x - y);
  const at = (t: number) => ({
    threshold: round(t, 4),
    falseReuseRate: round(neg.filter((j) => j >= t).length / neg.length, 4),
    paraphraseRecall: round(para.filter((j) => j >= t).length / para.length, 4),
  });
  let best = at(1);
  for (const t of candidates) {
    const f = at(t);
    if (f.falseReuseRate <= rate + 1e-12) return f;
    if (f.falseReuseRate < best.falseReuseRate) best = f;
  }
  return best;
}

function jaccard(a: string, b: string): number {
  const words = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9']+/g) ?? []);
  const x = words(a);
  const y = words(b);
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / (x.size + y.size - shared);
}

/**
 * 10,000 answered questions in one index, synthesised from the corpus the way visitors vary a question: its own
 * numbers changed, a greeting before it, a circumstance after it ("for my business", "in Canada"). Lookups ask corpus
 * wordings (most are near or exact hits) and new questions (misses), half each.
 */
function nearestLatency(corpus: QuestionCorpus) {
  const questions = corpus.domains.flatMap((d) => d.groups.flatMap((g) => g.questions));
  const openers = ['', 'Hi, ', 'Hello, ', 'Quick question: ', 'Sorry, ', 'Hey there, ', 'Good morning. '];
  const circumstances = [
    '', ' for my business', ' in Canada', ' as a new customer', ' on the mobile app', ' before Friday', ' for my daughter',
    ' while travelling', ' this weekend', ' in Germany', ' with a joint account', ' for a student', ' on a Sunday', ' from abroad',
    ' after moving house', ' on the website', ' for a gift', ' in an emergency', ' at night', ' during the holidays',
  ];
  let seed = 42;
  const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const index = new QuestionIndex({ maxQuestions: INDEX_SIZE });
  let added = 0;
  for (let n = 0; index.size < INDEX_SIZE; n++) {
    const base = questions[n % questions.length].replace(/[?.!]$/, '');
    const numbered = base.replace(/\d+/g, () => String(1 + random(500)));
    const variant = `${openers[random(openers.length)]}${numbered}${circumstances[random(circumstances.length)]}?`;
    index.add({ question: variant, key: `k${n}`, answeredAt: n });
    added++;
  }
  const asked = Array.from({ length: LOOKUPS }, (_, i) => (i % 2 === 0
    ? questions[random(questions.length)]
    : `Can you explain ${['the warranty', 'your opening hours', 'the loyalty scheme', 'parking', 'the referral bonus'][random(5)]} for order ${random(100000)}?`));
  for (let i = 0; i < WARMUP; i++) index.nearest(asked[i % asked.length]);
  const all: number[] = [];
  const hits: number[] = [];
  const misses: number[] = [];
  for (const question of asked) {
    const start = performance.now();
    const found = index.nearest(question);
    const ms = performance.now() - start;
    all.push(ms);
    (found ? hits : misses).push(ms);
  }
  const stats = (xs: number[]) => ({ lookups: xs.length, p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99) });
  // variantsAdded: variants added until 10,000 distinct signatures were held (a variant with a known signature replaces it).
  return { indexSize: index.size, variantsAdded: added, all: stats(all), hits: stats(hits), misses: stats(misses) };
}

function noSettings(p: QuestionPair): QuestionPair {
  return { ...p, settings: undefined };
}

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 4);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
