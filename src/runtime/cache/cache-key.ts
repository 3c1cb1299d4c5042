// Canonical response-cache keys: the same meaning gives the same key, whatever the order, case or spacing.
import { createHash } from 'node:crypto';
import { CacheKeyError } from './errors';

/**
 * Fields that change on every request and never change the answer. They are dropped wherever they appear,
 * compared case-insensitively.
 */
export const VOLATILE_CONTEXT_FIELDS: readonly string[] = [
  'sessionId', 'requestId', 'awsRequestId', 'timestamp', 'time', 'originatingRequestId', 'x-amz-lex:request-id',
  'interactionKey', 'traceId', 'messageId', 'contactId',
];

/** How a context becomes a key. */
export interface CacheKeyOptions {
  /**
   * Only these top-level context fields count. Dotted paths select nested fields (`slots.company`).
   * @default - every field but the volatile ones
   */
  readonly fields?: readonly string[];
  /** More fields to drop, in addition to `VOLATILE_CONTEXT_FIELDS`. */
  readonly exclude?: readonly string[];
  /**
   * Lower-case strings. Turn it off for fields whose case changes the answer.
   * @default true
   */
  readonly caseInsensitive?: boolean;
}

export type ContextValue = string | number | boolean | null | undefined | ContextValue[] | { [key: string]: ContextValue };

/**
 * The canonical form of a context, as a JSON string: keys sorted, strings trimmed with inner whitespace folded to
 * one space (Unicode NFC, lower-cased unless `caseInsensitive: false`), `null`, `undefined` and empty strings
 * dropped, volatile fields excluded. Throws `CacheKeyError` naming the field for values that have no canonical form
 * (non-finite numbers, functions, symbols, bigints, class instances such as Date, cycles).
 */
export function canonicalContext(context: Record<string, unknown>, options: CacheKeyOptions = {}): string {
  const excluded = new Set([...VOLATILE_CONTEXT_FIELDS, ...(options.exclude ?? [])].map((f) => f.toLowerCase()));
  const selected = options.fields ? pick(context, options.fields) : context;
  const value = canonicalValue(selected, '', excluded, options.caseInsensitive ?? true, new Set());
  return JSON.stringify(value ?? {});
}

/** `RESPONSE#{intent}#{hash}`: the partition key of the response cache table. */
export function buildCacheKey(intent: string, context: Record<string, unknown> = {}, options: CacheKeyOptions = {}): string {
  checkIntent(intent);
  const hash = createHash('sha256').update(canonicalContext(context, options)).digest('hex').slice(0, 32);
  return `RESPONSE#${intent.trim()}#${hash}`;
}

/** The two keys of one question of a per-question intent (`buildQuestionKeys`). */
export interface QuestionKeys {
  /**
   * `RESPONSE#{intent}#{hash}` over the canonical context and the question's signature (`questionSignature`): equal
   * signatures in the same context share one answer.
   */
  readonly key: string;
  /**
   * `QUESTIONS#{intent}#{hash of the canonical context}`: where the intent's answered questions of this context live.
   * Answers are matched only within one context (a paraphrase asked in another locale or call is a new question).
   */
  readonly partition: string;
}

/** The answer key and the answered-questions partition of a question, from one canonical form of the context. */
export function buildQuestionKeys(intent: string, context: Record<string, unknown>, signature: string, options: CacheKeyOptions = {}): QuestionKeys {
  checkIntent(intent);
  const canonical = canonicalContext(context, options);
  const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  return { key: `RESPONSE#${intent.trim()}#${hash(canonical, signature)}`, partition: `QUESTIONS#${intent.trim()}#${hash(canonical)}` };
}

function checkIntent(intent: string): void {
  if (typeof intent !== 'string' || intent.trim() === '') {
    throw new CacheKeyError('intent', 'must be a non-empty string');
  }
  if (intent.includes('#')) {
    throw new CacheKeyError('intent', "must not contain '#', the key separator");
  }
}

function pick(context: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    let value: unknown = context;
    for (const part of path.split('.')) {
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (value !== undefined) {
      out[path] = value;
    }
  }
  return out;
}

function canonicalValue(value: unknown, path: string, excluded: Set<string>, fold: boolean, seen: Set<object>): unknown {
  const where = path === '' ? '(root)' : path;
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string': {
      const s = value.normalize('NFC').trim().replace(/\s+/g, ' ');
      if (s === '') return undefined;
      return fold ? s.toLowerCase() : s;
    }
    case 'number':
      if (!Number.isFinite(value)) throw new CacheKeyError(where, `is ${value}, which has no canonical form`);
      return Object.is(value, -0) ? 0 : value;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) throw new CacheKeyError(where, 'refers back to itself (a cycle)');
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          return value.map((item, i) => canonicalValue(item, `${path}[${i}]`, excluded, fold, seen) ?? null);
        }
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          throw new CacheKeyError(where, `is a ${proto?.constructor?.name ?? 'class'} instance; pass plain JSON values (for a date, its ISO string)`);
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
          if (excluded.has(key.toLowerCase())) continue;
          const v = canonicalValue((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, excluded, fold, seen);
          if (v !== undefined) out[key] = v;
        }
        return out;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new CacheKeyError(where, `is a ${typeof value}, which has no canonical form`);
  }
}
