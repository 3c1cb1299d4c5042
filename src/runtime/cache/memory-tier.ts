// L1 of the response cache: an in-memory LRU bounded by entries and bytes, kept in module scope by warm Lambdas.
import { LRUCache } from 'lru-cache';
import type { CachedAnswer } from './dynamo-store';

export interface MemoryTierOptions {
  /** Most answers held. @default 1000 */
  readonly maxEntries?: number;
  /** Most bytes held (answer and key, UTF-8, plus a small per-entry overhead). @default 16777216 (16 MiB) */
  readonly maxBytes?: number;
  /** Epoch-ms clock. @default Date.now */
  readonly clock?: () => number;
}

const ENTRY_OVERHEAD_BYTES = 64;

/**
 * The in-memory tier. Expiry is our own (fresh/stale times from the answer), not lru-cache's TTL, so one injectable
 * clock drives both tiers; entries past their stale window are dropped when read.
 */
export class MemoryTier {
  private readonly lru: LRUCache<string, CachedAnswer>;
  private readonly clock: () => number;

  constructor(options: MemoryTierOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.lru = new LRUCache<string, CachedAnswer>({
      max: options.maxEntries ?? 1000,
      maxSize: options.maxBytes ?? 16 * 1024 * 1024,
      sizeCalculation: (value, key) => Buffer.byteLength(value.answer) + Buffer.byteLength(key) + ENTRY_OVERHEAD_BYTES,
    });
  }

  /** The answer for a key unless it is past its stale window. */
  get(key: string): CachedAnswer | undefined {
    const entry = this.lru.get(key);
    if (entry && entry.staleUntil <= this.clock()) {
      this.lru.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps an answer; an answer bigger than the byte bound is not kept (lru-cache refuses it). */
  set(key: string, answer: CachedAnswer): void {
    const current = this.lru.peek(key);
    // Never replace a newer answer with an older one (an L2 read can race a synchronous generation).
    if (current && current.generatedAt > answer.generatedAt) return;
    this.lru.set(key, answer);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  /** Number of answers held. */
  get size(): number {
    return this.lru.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
