// The answered questions of one intent (and context), bounded by count and age, with an inverted index that finds
// the candidates of a near match fast; each candidate is then decided by the pairwise matcher alone.
import { compareAnalysed, matchRules, QuestionMatchSettingsError, withoutIgnored, type QuestionMatch, type QuestionMatchSettings } from './question-match';
import { analyseQuestion, type AnalysedQuestion } from './question-text';

/** An answered question: its words, the cache key its answer is stored under, and when it was answered (epoch ms). */
export interface AnsweredQuestion {
  readonly question: string;
  readonly key: string;
  readonly answeredAt: number;
}

/** Bounds of a `QuestionIndex`. */
export interface QuestionIndexOptions {
  /**
   * Most questions held; adding one more drops the one answered longest ago.
   * @default 10000
   */
  readonly maxQuestions?: number;
  /**
   * Questions answered longer ago than this are dropped (their answers expire too).
   * @default - no age limit
   */
  readonly maxAgeMs?: number;
  /**
   * The clock, in epoch ms.
   * @default Date.now
   */
  readonly clock?: () => number;
}

/** A near (or exact) match found by `QuestionIndex.nearest`. */
export interface NearestQuestion {
  readonly entry: AnsweredQuestion;
  readonly match: QuestionMatch;
}

interface Held {
  readonly entry: AnsweredQuestion;
  readonly analysed: AnalysedQuestion;
  /** Distinguishes this holding from an earlier one of the same signature still in the heap. */
  readonly serial: number;
}

/**
 * Tolerance of the candidate filter: the decision compares the score rounded to two decimals (the one it reports),
 * which can be up to 0.005 above the exact one; the filter must never drop a candidate the decision would accept.
 */
const FILTER_SLACK = 0.006;

/**
 * Answered questions of one intent (and context), bounded by count and age, with an inverted index for lookup.
 * `nearest` returns exactly what `matchQuestions(entry.question, asked, settings)` decides, the best-scoring reuse.
 */
export class QuestionIndex {
  private readonly maxQuestions: number;
  private readonly maxAgeMs: number | undefined;
  private readonly clock: () => number;
  private readonly bySignature = new Map<string, Held>();
  private readonly byKey = new Map<string, Held>();
  private readonly postings = new Map<string, Set<Held>>();
  /** Min-heap on answeredAt: the oldest question is evicted first and expires first. Stale holdings are skipped. */
  private heap: Held[] = [];
  private serial = 0;

  constructor(options: QuestionIndexOptions = {}) {
    this.maxQuestions = options.maxQuestions ?? 10_000;
    this.maxAgeMs = options.maxAgeMs;
    this.clock = options.clock ?? Date.now;
    if (!Number.isInteger(this.maxQuestions) || this.maxQuestions < 1) {
      throw new QuestionMatchSettingsError('maxQuestions', `must be a whole number of at least 1, got ${this.maxQuestions}`);
    }
    if (this.maxAgeMs !== undefined && !(this.maxAgeMs > 0)) {
      throw new QuestionMatchSettingsError('maxAgeMs', `must be above 0 (or left out for no age limit), got ${this.maxAgeMs}`);
    }
  }

  /** Adds an answered question; replaces one with the same signature; drops the oldest beyond `maxQuestions`. */
  add(entry: AnsweredQuestion): void {
    this.dropExpired();
    if (this.isExpired(entry)) return;
    const analysed = analyseQuestion(entry.question);
    const same = this.bySignature.get(analysed.signature);
    if (same) this.unlink(same);
    const replacedKey = this.byKey.get(entry.key);
    if (replacedKey) this.unlink(replacedKey);
    const held: Held = { entry, analysed, serial: ++this.serial };
    this.bySignature.set(analysed.signature, held);
    this.byKey.set(entry.key, held);
    for (const term of analysed.terms.keys()) {
      let set = this.postings.get(term);
      if (!set) this.postings.set(term, (set = new Set()));
      set.add(held);
    }
    this.push(held);
    while (this.bySignature.size > this.maxQuestions) {
      const oldest = this.popLive();
      if (!oldest) break;
      this.unlink(oldest);
    }
    if (this.heap.length > 2 * this.bySignature.size + 64) this.compact();
  }

  /** Forgets the question whose answer is stored under `key` (e.g. the answer was invalidated). */
  remove(key: string): void {
    const held = this.byKey.get(key);
    if (held) this.unlink(held);
  }

  /** The best answered question whose answer `matchQuestions(entry.question, asked, settings)` would reuse, or undefined. */
  nearest(asked: string, settings?: QuestionMatchSettings): NearestQuestion | undefined {
    const rules = matchRules(settings);
    const threshold = rules.threshold;
    this.dropExpired();
    const analysed = analyseQuestion(asked);
    const exact = this.bySignature.get(analysed.signature);
    if (exact) return { entry: exact.entry, match: compareAnalysed(exact.analysed, analysed, rules) };
    const question = withoutIgnored(analysed, rules.ignored);
    if (question.totalWeight === 0) return undefined; // no term to share: only an exact signature can match
    // Shared weight per candidate, from the postings of the asked terms; a reuse needs a Dice score of at least
    // the threshold, so candidates that cannot reach it are never scored in full.
    const shared = new Map<Held, number>();
    for (const [term, t] of question.terms) {
      const set = this.postings.get(term);
      if (!set) continue;
      for (const held of set) {
        const w = Math.min(t.weight, held.analysed.terms.get(term)!.weight);
        shared.set(held, (shared.get(held) ?? 0) + w);
      }
    }
    let best: NearestQuestion | undefined;
    for (const [held, weight] of shared) {
      const total = withoutIgnored(held.analysed, rules.ignored).totalWeight;
      if ((2 * weight) / (question.totalWeight + total) < threshold - FILTER_SLACK) continue;
      const match = compareAnalysed(held.analysed, analysed, rules);
      if (!match.reuse) continue;
      if (!best || match.score > best.match.score || (match.score === best.match.score && held.entry.answeredAt > best.entry.answeredAt)) {
        best = { entry: held.entry, match };
      }
    }
    return best;
  }

  /** Questions held (after dropping those past `maxAgeMs`). */
  get size(): number {
    this.dropExpired();
    return this.bySignature.size;
  }

  private isExpired(entry: AnsweredQuestion): boolean {
    return this.maxAgeMs !== undefined && this.clock() - entry.answeredAt > this.maxAgeMs;
  }

  private dropExpired(): void {
    if (this.maxAgeMs === undefined) return;
    for (;;) {
      const top = this.peekLive();
      if (!top || !this.isExpired(top.entry)) return;
      this.popLive();
      this.unlink(top);
    }
  }

  private unlink(held: Held): void {
    if (this.bySignature.get(held.analysed.signature) === held) this.bySignature.delete(held.analysed.signature);
    if (this.byKey.get(held.entry.key) === held) this.byKey.delete(held.entry.key);
    for (const term of held.analysed.terms.keys()) {
      const set = this.postings.get(term);
      set?.delete(held);
      if (set?.size === 0) this.postings.delete(term);
    }
  }

  private isLive(held: Held): boolean {
    return this.bySignature.get(held.analysed.signature) === held;
  }

  private peekLive(): Held | undefined {
    while (this.heap.length > 0 && !this.isLive(this.heap[0])) this.pop();
    return this.heap[0];
  }

  private popLive(): Held | undefined {
    const top = this.peekLive();
    if (top) this.pop();
    return top;
  }

  private compact(): void {
    this.heap = this.heap.filter((held) => this.isLive(held));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private older(a: Held, b: Held): boolean {
    return a.entry.answeredAt < b.entry.answeredAt || (a.entry.answeredAt === b.entry.answeredAt && a.serial < b.serial);
  }

  private push(held: Held): void {
    const heap = this.heap;
    heap.push(held);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.older(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.older(heap[l], heap[m])) m = l;
      if (r < heap.length && this.older(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}
