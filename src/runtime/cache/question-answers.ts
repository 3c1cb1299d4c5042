// The answered questions of per-question intents, in memory and in the table: where a paraphrase finds its answer.
import { LRUCache } from 'lru-cache';
import { DEFAULT_MAX_ANSWERED_QUESTIONS, DEFAULT_STALE_SECONDS, DEFAULT_TTL_SECONDS } from '../../shared/defaults';
import type { IntentCacheConfig, QuestionEmbeddingConfig } from '../../shared/wire';
import { BedrockEmbedder, cosineSimilarity, type EmbeddingDimensions } from '../bedrock/embeddings';
import { QuestionIndex, type AnsweredQuestion } from './question-index';
import { embeddingVeto, type QuestionMatch, type QuestionMatchSettings } from './question-match';
import type { QuestionStore } from './question-store';
import type { TurnBudget } from './turn-budget';

/** Turns a question into a vector (`BedrockEmbedder` of `cdk-fast-lex/runtime/bedrock`, or a stand-in of yours). */
export interface QuestionEmbedder {
  embed(text: string, options?: { readonly signal?: AbortSignal }): Promise<Float32Array>;
}

/** The embedder of an intent's embedding stage (its model and dimensions). */
export type QuestionEmbedderFactory = (stage: QuestionEmbeddingConfig) => QuestionEmbedder;

/** Bedrock embedders, one per model and size, created on first use. */
export function bedrockQuestionEmbedders(): QuestionEmbedderFactory {
  const embedders = new Map<string, QuestionEmbedder>();
  return (stage) => {
    const id = `${stage.modelId}#${stage.dimensions ?? 256}`;
    let embedder = embedders.get(id);
    if (!embedder) {
      embedder = new BedrockEmbedder({ modelId: stage.modelId, dimensions: (stage.dimensions ?? 256) as EmbeddingDimensions });
      embedders.set(id, embedder);
    }
    return embedder;
  };
}

/** The question of one per-question turn, as every step of finding its answer needs it. */
export interface QuestionLookup {
  /** The visitor's words (`inputTranscript`). */
  readonly text: string;
  /** `questionSignature(text)`: what the exact key hashes. */
  readonly signature: string;
  /** `QUESTIONS#{intent}#{context hash}`: where the intent's answered questions of this context live. */
  readonly partition: string;
  /** Computed by the embedding stage, kept with the question once answered. */
  embedding?: Float32Array;
}

/** An answered question whose answer may serve the asked one. */
export interface NearQuestion {
  readonly key: string;
  readonly score: number;
  readonly via: 'lexical' | 'embedding';
}

export interface QuestionAnswersOptions {
  readonly store: QuestionStore;
  readonly embedders?: QuestionEmbedderFactory;
  /** Partitions (intent and context) held in memory at once; the least recently used are dropped. @default 100 */
  readonly maxPartitions?: number;
  readonly clock: () => number;
}

/** Longest read of a partition's answered questions (the first read of a large partition pages through it). */
const SYNC_TIMEOUT_MS = 2000;

/** One partition in memory: its index, the embeddings of its questions, and how far it has been read. */
interface Partition {
  readonly index: QuestionIndex;
  /** By answer key: the vector, and the question it was made from (the lexical veto reads it). */
  readonly embeddings: Map<string, { readonly vector: Float32Array; readonly question: string }>;
  newestSortKey?: string;
}

/**
 * Keeps each per-question partition's answered questions in memory (an inverted index, bounded by count and age) and
 * brings them up to date from the table with one Query of what was added since the last read. The decision to reuse
 * is `matchQuestions`'s, the same function users test their thresholds with.
 */
export class QuestionAnswers {
  private readonly partitions: LRUCache<string, Partition>;
  private readonly syncs = new Map<string, Promise<void>>();

  constructor(private readonly options: QuestionAnswersOptions) {
    this.partitions = new LRUCache({ max: options.maxPartitions ?? 100 });
  }

  /** The best lexical match among the questions this process knows, without I/O. */
  nearInMemory(config: IntentCacheConfig, question: QuestionLookup): (NearQuestion & { match: QuestionMatch }) | undefined {
    const partition = this.partitions.get(question.partition);
    if (!partition) return undefined;
    const near = partition.index.nearest(question.text, matchSettingsOf(config));
    return near && !near.match.exact ? { key: near.entry.key, score: near.match.score, via: 'lexical', match: near.match } : undefined;
  }

  /** Reads the questions added to the partition since the last read (all of them the first time), inside the budget. */
  sync(config: IntentCacheConfig, question: QuestionLookup, budget: TurnBudget): Promise<void> {
    let pending = this.syncs.get(question.partition);
    if (!pending) {
      pending = this.read(config, question.partition, budget).finally(() => this.syncs.delete(question.partition));
      this.syncs.set(question.partition, pending);
    }
    return pending;
  }

  /**
   * The embedding stage: one embedding call for the asked question, then the nearest answered question by cosine
   * similarity at or above the intent's threshold. Called only where a generation would otherwise follow.
   */
  async nearByEmbedding(config: IntentCacheConfig, question: QuestionLookup, budget: TurnBudget): Promise<NearQuestion | undefined> {
    const stage = config.questions?.embedding;
    if (!stage || !this.options.embedders) return undefined;
    const embedder = this.options.embedders(stage);
    question.embedding ??= await budget.run('Bedrock InvokeModel (question embedding)', (signal) => embedder.embed(question.text, { signal }));
    const partition = this.partitions.get(question.partition);
    if (!partition) return undefined;
    const candidates: Array<NearQuestion & { readonly question: string }> = [];
    for (const [key, held] of partition.embeddings) {
      // A vector of another size was made by another model or setting: it does not compare.
      if (held.vector.length !== question.embedding.length) continue;
      const score = cosineSimilarity(question.embedding, held.vector);
      if (score >= stage.threshold) candidates.push({ key, score, via: 'embedding', question: held.question });
    }
    // The closest vector the lexical matcher does not veto (another number, another named thing, a flipped negation).
    candidates.sort((x, y) => y.score - x.score);
    const best = candidates.find((c) => embeddingVeto(c.question, question.text, matchSettingsOf(config)) === undefined);
    return best && { key: best.key, score: best.score, via: best.via };
  }

  /** Forgets a question whose answer is gone (expired, or never stored). */
  forget(question: QuestionLookup, key: string): void {
    const partition = this.partitions.get(question.partition);
    partition?.index.remove(key);
    partition?.embeddings.delete(key);
  }

  /** Keeps a newly answered question, in memory at once and in the table for every other instance. */
  async remember(config: IntentCacheConfig, question: QuestionLookup, key: string, answeredAt: number): Promise<void> {
    hold(this.partitionFor(config, question.partition), config, { question: question.text, key, answeredAt, embedding: question.embedding });
    await this.options.store.add(question.partition, { question: question.text, key, answeredAt, embedding: question.embedding }, answeredAt + maxAgeMs(config));
  }

  private async read(config: IntentCacheConfig, name: string, budget: TurnBudget): Promise<void> {
    const partition = this.partitionFor(config, name);
    const limit = config.questions?.maxQuestions ?? DEFAULT_MAX_ANSWERED_QUESTIONS;
    const now = this.options.clock();
    // Its own deadline, not the turn's: a turn answered by an exact hit ends without waiting for this read, which
    // then completes for the next turn instead of being cut off when the turn's budget is released.
    const abortSignal = AbortSignal.timeout(Math.max(1, Math.floor(Math.min(budget.remainingMs(), SYNC_TIMEOUT_MS))));
    const read = await this.options.store.read(name, { afterSortKey: partition.newestSortKey, limit, now, abortSignal });
    // Newest first: add oldest first, so the index's own eviction keeps the newest.
    for (const stored of read.reverse()) {
      hold(partition, config, stored);
      if (!partition.newestSortKey || stored.sortKey > partition.newestSortKey) partition.newestSortKey = stored.sortKey;
    }
  }

  private partitionFor(config: IntentCacheConfig, name: string): Partition {
    let partition = this.partitions.get(name);
    if (!partition) {
      partition = {
        index: new QuestionIndex({ maxQuestions: config.questions?.maxQuestions ?? DEFAULT_MAX_ANSWERED_QUESTIONS, maxAgeMs: maxAgeMs(config), clock: this.options.clock }),
        embeddings: new Map(),
      };
      this.partitions.set(name, partition);
    }
    return partition;
  }
}

const settingsOf = new WeakMap<IntentCacheConfig, QuestionMatchSettings>();

/**
 * The matcher settings of a per-question intent, one object per configuration (the matcher compiles each settings
 * object once: its ignored words are analysed on first use, not on every turn).
 */
export function matchSettingsOf(config: IntentCacheConfig): QuestionMatchSettings {
  let settings = settingsOf.get(config);
  if (!settings) {
    settings = { threshold: config.questions?.nearMatchThreshold, ignoredWords: config.questions?.ignoredWords };
    settingsOf.set(config, settings);
  }
  return settings;
}

/**
 * Keeps one answered question in a partition: in its index, and its embedding (if any) among as many as the index
 * holds, the oldest dropped first.
 */
function hold(partition: Partition, config: IntentCacheConfig, answered: AnsweredQuestion & { readonly embedding?: Float32Array }): void {
  partition.index.add({ question: answered.question, key: answered.key, answeredAt: answered.answeredAt });
  if (!answered.embedding) return;
  partition.embeddings.set(answered.key, { vector: answered.embedding, question: answered.question });
  const limit = config.questions?.maxQuestions ?? DEFAULT_MAX_ANSWERED_QUESTIONS;
  for (const key of partition.embeddings.keys()) {
    if (partition.embeddings.size <= limit) break;
    partition.embeddings.delete(key);
  }
}

/** How long an answered question stays matchable: its own setting, else as long as its answer may be served. */
export function maxAgeMs(config: IntentCacheConfig): number {
  const seconds = config.questions?.maxAgeSeconds ?? (config.ttlSeconds ?? DEFAULT_TTL_SECONDS) + (config.staleSeconds ?? DEFAULT_STALE_SECONDS);
  return seconds * 1000;
}

export type { AnsweredQuestion };
