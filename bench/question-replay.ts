// The cache half of `bench:questions`: the corpus replayed through the real ResponseCache, per question and per intent.
//
// Real clients on loopback: dynalite (the cache table: answers, answered questions, generation counters) and the
// Bedrock stand-in (latency 0: generation time is not what this measures). The generator worker is the real one; its
// SQS delivery is done in process (each request the cache sends becomes one record of an SQS event).
//
// First pass: one wording of every paraphrase group, and the first question of every hard negative, asked once and
// answered (the cache learns them). Replay: every other question of the corpus, once each, in a seeded random order,
// new ones answered as they come (as a deployed bot learns). A reuse is an exact hit or a near hit; a false reuse is
// an answer written for a question of another paraphrase group. Intent-level mode replays the same questions through
// today's key (intent and context only): every question of an intent gets the one answer.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { ConverseGenerator } from '../src/runtime/bedrock/converse';
import { DynamoResponseStore } from '../src/runtime/cache/dynamo-store';
import { encodeGenerationRequest, type GenerationQueue, type GenerationRequest } from '../src/runtime/cache/generation-request';
import { createGeneratorWorker } from '../src/runtime/cache/generator-worker';
import { CacheMetrics } from '../src/runtime/cache/metrics';
import { matchQuestions, questionSignature } from '../src/runtime/cache/question-match';
import type { QuestionEmbedder } from '../src/runtime/cache/question-answers';
import { ResponseCache, type CacheResponse } from '../src/runtime/cache/response-cache';
import type { IntentCacheConfigs, QuestionEmbeddingConfig } from '../src/shared/wire';
import { createResponseCacheTable, localBedrockClient, type BedrockStandIn } from '../src/testing';
import { loadQuestionCorpus, type QuestionCorpus } from '../test/corpus/questions';

/** What one mode of the replay measured. */
export interface ReplayFigures {
  readonly mode: string;
  /** Questions asked and answered in the first pass. */
  readonly firstPass: number;
  /** Questions asked in the replay (after the first pass). */
  readonly asked: number;
  readonly exactHits: number;
  readonly nearHits: number;
  /** Near hits found by the embedding stage (included in nearHits). */
  readonly embeddingHits: number;
  readonly misses: number;
  /** (exact + near) / asked. */
  readonly reuseRate: number;
  /** Reused answers written for a question of another paraphrase group. */
  readonly falseReuses: number;
  /** Of the hard negatives' second questions, how many got the first one's answer. */
  readonly hardNegativeReuses: number;
  readonly hardNegativesAsked: number;
  /** Bedrock calls made (first pass and replay), and embedding calls. */
  readonly generations: number;
  readonly embeddingCalls: number;
}

export interface ReplayOptions {
  readonly ddb: DynamoDBClient;
  readonly bedrock: BedrockStandIn;
  /** The embedding stage's client and setting; without, the stage is off. */
  readonly embedding?: { readonly embedder: QuestionEmbedder; readonly config: QuestionEmbeddingConfig };
  readonly scope: 'question' | 'intent';
  readonly seed?: number;
  readonly corpus?: QuestionCorpus;
}

/** Replays the corpus through one cache configuration. */
export async function replayCorpus(options: ReplayOptions): Promise<ReplayFigures> {
  const corpus = options.corpus ?? loadQuestionCorpus();
  const tableName = `replay-${randomUUID().slice(0, 8)}`;
  await createResponseCacheTable(options.ddb, tableName);
  const store = new DynamoResponseStore({ client: options.ddb, tableName });
  const intents: IntentCacheConfigs = Object.fromEntries(corpus.domains.map((d) => [d.intent, {
    staticAnswer: `The static answer of ${d.intent}.`,
    prompt: `Answer a visitor's question about ${d.name}.`,
    ttlSeconds: 86_400,
    questions: options.scope === 'question' ? { ignoredWords: d.settings?.ignoredWords, embedding: options.embedding?.config } : undefined,
  }]));
  const requests: GenerationRequest[] = [];
  const queue: GenerationQueue = { enqueue: async (r) => { requests.push(r); } };
  let embeddingCalls = 0;
  const embedder: QuestionEmbedder | undefined = options.embedding && {
    embed: (text, o) => { embeddingCalls++; return options.embedding!.embedder.embed(text, o); },
  };
  const cache = new ResponseCache({
    intents, store, queue, embedders: embedder && (() => embedder),
    generationLimits: { perSession: 1_000_000, perMinute: 1_000_000 },
    metrics: new CacheMetrics({ sink: () => undefined }),
    onError: () => undefined,
  });
  const worker = createGeneratorWorker({
    store, generator: new ConverseGenerator({ client: localBedrockClient(options.bedrock.endpoint) }),
    metrics: new CacheMetrics({ sink: () => undefined }), logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  let generations = 0;
  const generate = async () => {
    if (requests.length === 0) return;
    const batch = requests.splice(0);
    generations += batch.length;
    const response = await worker(sqsEventOf(batch));
    if (response.batchItemFailures.length > 0) throw new Error(`the worker failed ${response.batchItemFailures.length} records`);
  };

  // Which group each question belongs to, and which group each stored answer was written for.
  const groupOf = new Map<string, string>();
  const intentOf = new Map<string, string>();
  for (const d of corpus.domains) {
    for (const g of d.groups) {
      for (const q of g.questions) {
        groupOf.set(q, g.id);
        intentOf.set(q, d.intent);
      }
    }
  }
  const answeredFor = new Map<string, string>();
  const ask = async (question: string): Promise<CacheResponse> => {
    const intent = intentOf.get(question)!;
    const response = await cache.respond(intent, { localeId: 'en_US' }, { question, sessionId: randomUUID() });
    if (response.status === 'miss' && !answeredFor.has(response.key)) answeredFor.set(response.key, groupOf.get(question)!);
    return response;
  };

  // First pass.
  const random = seeded(options.seed ?? 7);
  const first = new Set<string>();
  for (const d of corpus.domains) for (const g of d.groups) first.add(g.questions[Math.floor(random() * g.questions.length)]);
  for (const n of corpus.hardNegatives) if (groupOf.has(n.a) && groupOf.has(n.b)) first.add(n.a);
  for (const q of first) await ask(q);
  await generate();

  // Replay.
  const rest = shuffle([...groupOf.keys()].filter((q) => !first.has(q)), random);
  const hardSeconds = new Map(corpus.hardNegatives.filter((n) => first.has(n.a) && !first.has(n.b)).map((n) => [n.b, n.a]));
  let exactHits = 0;
  let nearHits = 0;
  let embeddingHits = 0;
  let misses = 0;
  let falseReuses = 0;
  let hardNegativeReuses = 0;
  for (const q of rest) {
    const r = await ask(q);
    const reused = r.status === 'l1-hit' || r.status === 'l2-hit' || r.status === 'near-hit';
    if (r.status === 'near-hit') {
      nearHits++;
      if (r.matchedBy === 'embedding') embeddingHits++;
    } else if (reused) {
      exactHits++;
    } else {
      misses++;
    }
    if (reused) {
      // Intent-level answers are written for whichever question came first: the group of that question.
      const writtenFor = answeredFor.get(r.key);
      if (writtenFor !== groupOf.get(q)) falseReuses++;
      const a = hardSeconds.get(q);
      if (a !== undefined && writtenFor === groupOf.get(a)) hardNegativeReuses++;
    }
    await generate();
  }
  return {
    mode: options.scope === 'intent' ? 'intent-level (today)' : options.embedding ? 'per-question, lexical + embedding' : 'per-question, lexical',
    firstPass: first.size, asked: rest.length, exactHits, nearHits, embeddingHits, misses,
    reuseRate: round((exactHits + nearHits) / rest.length),
    falseReuses, hardNegativeReuses, hardNegativesAsked: hardSeconds.size, generations, embeddingCalls,
  };
}

function sqsEventOf(requests: GenerationRequest[]): SQSEvent {
  return {
    Records: requests.map((r, i) => ({
      messageId: `m-${i}-${randomUUID()}`, receiptHandle: 'in-process', body: encodeGenerationRequest(r),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:generation', awsRegion: 'us-east-1',
    })),
  };
}

/** A small deterministic generator (mulberry32), so every run replays the same order. */
function seeded(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** `respond` latencies of a per-question intent in the handler: exact hits from memory and the table, near hits. */
export interface HandlerLatencies {
  readonly answeredQuestions: number;
  readonly exactL1: Stats;
  readonly exactL2: Stats;
  /** A paraphrase whose answer is in memory: the index lookup and nothing else. */
  readonly nearHitMemory: Stats;
}

interface Stats { readonly samples: number; readonly p50Ms: number; readonly p99Ms: number }

/**
 * One per-question intent with `answered` questions answered (written through `ResponseCache.put`, as the worker
 * would), then: the same question again (L1), the same question with the memory tier emptied (one DynamoDB Query),
 * and a paraphrase of an answered question ("I would like to know: …", generic words added).
 */
export async function handlerLatencies(ddb: DynamoDBClient, answered = 10_000): Promise<HandlerLatencies> {
  const tableName = `latency-${randomUUID().slice(0, 8)}`;
  await createResponseCacheTable(ddb, tableName);
  const intents: IntentCacheConfigs = {
    AskIntent: { staticAnswer: 'Static.', prompt: 'Answer.', ttlSeconds: 86_400, questions: { ignoredWords: ['Atlas'], maxQuestions: answered } },
  };
  const cache = new ResponseCache({
    intents, store: new DynamoResponseStore({ client: ddb, tableName }), queue: { enqueue: async () => undefined },
    memory: { maxEntries: answered * 2 }, metrics: new CacheMetrics({ sink: () => undefined }), onError: () => undefined,
  });
  const corpus = loadQuestionCorpus();
  const base = corpus.domains.flatMap((d) => d.groups.flatMap((g) => g.questions)).map((q) => q.replace(/[?.!]$/, ''));
  // Distinct questions, varied the way visitors vary one: its numbers changed, a greeting before it, a circumstance after.
  const openers = ['', 'Hi, ', 'Hello, ', 'Quick question: ', 'Sorry, ', 'Hey there, ', 'Good morning. '];
  const circumstances = ['', ' for my business', ' in Canada', ' as a new customer', ' on the mobile app', ' before Friday', ' for my daughter',
    ' while travelling', ' this weekend', ' in Germany', ' with a joint account', ' for a student', ' on a Sunday', ' from abroad',
    ' after moving house', ' on the website', ' for a gift', ' in an emergency', ' at night', ' during the holidays'];
  const random = seeded(42);
  const bySignature = new Map<string, string>();
  for (let n = 0; bySignature.size < answered && n < answered * 50; n++) {
    const numbered = base[n % base.length].replace(/\d+/g, () => String(1 + Math.floor(random() * 500)));
    const q = `${openers[Math.floor(random() * openers.length)]}${numbered}${circumstances[Math.floor(random() * circumstances.length)]}?`;
    bySignature.set(questionSignature(q), q);
  }
  const questions = [...bySignature.values()];
  for (let i = 0; i < questions.length; i += 50) {
    await Promise.all(questions.slice(i, i + 50).map((q) => cache.put('AskIntent', {}, `The answer to question ${i}.`, Date.now(), q)));
  }
  const pick = (n: number) => Array.from({ length: n }, (_, i) => questions[(i * 7919) % questions.length]);
  const timed = async (asked: string[], expect: string, before?: () => void): Promise<Stats> => {
    const times: number[] = [];
    for (const q of asked) {
      before?.();
      const started = performance.now();
      const r = await cache.respond('AskIntent', {}, { question: q });
      times.push(performance.now() - started);
      if (r.status !== expect) throw new Error(`expected ${expect} for "${q}", got ${r.status}`);
    }
    return stats(times);
  };
  await timed(pick(200), 'l1-hit'); // warm-up
  const exactL1 = await timed(pick(5_000), 'l1-hit');
  const exactL2 = await timed(pick(300), 'l2-hit', () => cache.memory.clear());
  // Back in memory for the near hits: each answer read once more.
  const near = pick(2_000);
  for (const q of near) await cache.respond('AskIntent', {}, { question: q });
  // A paraphrase of each: generic words added, or the product's name (ignored); the public matcher picks one it reuses.
  const settings = { ignoredWords: ['Atlas'] };
  const paraphrases = near.flatMap((q) => {
    const found = [`I would like to know: ${q}`, `Please tell me, ${q}`, q.replace(/\?$/, ' at Atlas?')]
      .find((p) => { const m = matchQuestions(q, p, settings); return m.reuse && !m.exact; });
    return found ? [found] : [];
  });
  const nearHitMemory = await timed(paraphrases, 'near-hit');
  return { answeredQuestions: questions.length, exactL1, exactL2, nearHitMemory };
}

function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10_000) / 10_000;
  return { samples: times.length, p50Ms: at(50), p99Ms: at(99) };
}
