// Per-intent cache configuration: a plain JSON-serialisable object, so a construct can hand it to Lambda in an env var.
import type { IntentCacheConfig, IntentCacheConfigs } from '../../shared/wire';
import { canonicalContext, type CacheKeyOptions } from './cache-key';
import { IntentConfigError } from './errors';
import { quoteQuestion } from './question-safety';

export type { IntentCacheConfig, IntentCacheConfigs };

/** The entry `respond` uses for intents that have no entry of their own. */
export const CATCH_ALL_INTENT = '*';

/** Checks a parsed configuration and returns it typed; throws `IntentConfigError` naming the intent and field. */
export function validateIntentConfigs(value: unknown): IntentCacheConfigs {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new IntentConfigError('(root)', '(root)', 'must be an object of intent name to configuration');
  }
  for (const [intent, config] of Object.entries(value as Record<string, unknown>)) {
    if (intent.trim() === '' || (intent.includes('#'))) {
      throw new IntentConfigError(intent, '(name)', "must be a non-empty intent name without '#'");
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new IntentConfigError(intent, '(entry)', 'must be an object');
    }
    const c = config as Record<string, unknown>;
    if (typeof c.staticAnswer !== 'string' || c.staticAnswer.trim() === '') {
      throw new IntentConfigError(intent, 'staticAnswer', 'must be a non-empty string');
    }
    for (const field of ['prompt', 'system'] as const) {
      if (c[field] !== undefined && (typeof c[field] !== 'string' || (c[field] as string).trim() === '')) {
        throw new IntentConfigError(intent, field, 'must be a non-empty string when set');
      }
    }
    for (const field of ['ttlSeconds', 'staleSeconds', 'maxTokens', 'syncDeadlineMs', 'voiceSyncDeadlineMs'] as const) {
      const v = c[field];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
        throw new IntentConfigError(intent, field, 'must be a finite number >= 0');
      }
    }
    if (c.ttlSeconds === 0) throw new IntentConfigError(intent, 'ttlSeconds', 'must be > 0');
    if (c.maxTokens !== undefined && (!Number.isInteger(c.maxTokens) || (c.maxTokens as number) < 1)) {
      throw new IntentConfigError(intent, 'maxTokens', 'must be a positive integer');
    }
    for (const field of ['contextFields', 'excludeFields'] as const) {
      const v = c[field];
      if (v !== undefined && (!Array.isArray(v) || v.some((f) => typeof f !== 'string' || f.trim() === ''))) {
        throw new IntentConfigError(intent, field, 'must be an array of non-empty strings');
      }
    }
    if (c.caseSensitive !== undefined && typeof c.caseSensitive !== 'boolean') {
      throw new IntentConfigError(intent, 'caseSensitive', 'must be a boolean');
    }
    if (c.questions !== undefined) validateQuestions(intent, c);
  }
  return value as IntentCacheConfigs;
}

function validateQuestions(intent: string, c: Record<string, unknown>): void {
  const q = c.questions as Record<string, unknown> | null;
  if (q === null || typeof q !== 'object' || Array.isArray(q)) throw new IntentConfigError(intent, 'questions', 'must be an object');
  if (c.prompt === undefined) throw new IntentConfigError(intent, 'questions', 'needs a prompt: a per-question intent generates each answer');
  const t = q.nearMatchThreshold;
  if (t !== undefined && (typeof t !== 'number' || !(t > 0 && t <= 1))) {
    throw new IntentConfigError(intent, 'questions.nearMatchThreshold', 'must be a number above 0 and at most 1');
  }
  if (q.ignoredWords !== undefined && (!Array.isArray(q.ignoredWords) || q.ignoredWords.some((w) => typeof w !== 'string' || w.trim() === ''))) {
    throw new IntentConfigError(intent, 'questions.ignoredWords', 'must be an array of non-empty strings');
  }
  for (const field of ['maxQuestions', 'maxAgeSeconds'] as const) {
    const v = q[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      throw new IntentConfigError(intent, `questions.${field}`, 'must be a positive integer');
    }
  }
  const e = q.embedding as Record<string, unknown> | undefined;
  if (e === undefined) return;
  if (e === null || typeof e !== 'object' || typeof e.modelId !== 'string' || e.modelId.trim() === '') {
    throw new IntentConfigError(intent, 'questions.embedding', "must be an object with a non-empty 'modelId'");
  }
  if (typeof e.threshold !== 'number' || !(e.threshold > 0 && e.threshold <= 1)) {
    throw new IntentConfigError(intent, 'questions.embedding.threshold', 'must be a number above 0 and at most 1');
  }
  if (e.dimensions !== undefined && ![256, 512, 1024].includes(e.dimensions as number)) {
    throw new IntentConfigError(intent, 'questions.embedding.dimensions', 'must be 256, 512 or 1024');
  }
}

/** Parses and validates the JSON form (`FAST_LEX_ENV.intents`). */
export function parseIntentConfigs(json: string): IntentCacheConfigs {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new IntentConfigError('(root)', '(json)', `is not valid JSON (${(err as Error).message})`);
  }
  return validateIntentConfigs(value);
}

/** The cache-key options an intent's configuration implies. */
export function keyOptionsFor(config: IntentCacheConfig): CacheKeyOptions {
  return { fields: config.contextFields, exclude: config.excludeFields, caseInsensitive: !(config.caseSensitive ?? false) };
}

/**
 * The canonical context of a request as an object: only what enters the key, so what the prompt sees and what the
 * key hashes are the same thing (and no session id or phone number outside `contextFields` leaves the Lambda).
 */
export function canonicalContextObject(config: IntentCacheConfig, context: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalContext(context, keyOptionsFor(config))) as Record<string, unknown>;
}

/**
 * The context a prompt is filled from: the same fields as the key (`canonicalContextObject`), whitespace folded, but
 * with the case the caller's values had. A case-insensitive key shares one answer between "ACME" and "acme"; it must
 * not lower-case the scenario or a name in the prompt Bedrock reads.
 */
export function promptContextObject(config: IntentCacheConfig, context: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalContext(context, { ...keyOptionsFor(config), caseInsensitive: false })) as Record<string, unknown>;
}

/**
 * Fills the intent's prompt from the canonical context (see `IntentCacheConfig.prompt`). With a `question` (a
 * per-question intent), the question is quoted as data (`quoteQuestion`): in place of a `{{question}}` placeholder,
 * else after the prompt.
 */
export function renderPrompt(config: IntentCacheConfig, canonical: Record<string, unknown>, question?: string): string | undefined {
  if (config.prompt === undefined) return undefined;
  let placeholders = 0;
  let quoted = false;
  const text = config.prompt.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_m, path: string) => {
    if (path === QUESTION_PLACEHOLDER && question !== undefined) {
      quoted = true;
      return quoteQuestion(question);
    }
    placeholders++;
    const value = lookup(canonical, path);
    if (value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  const withContext = placeholders === 0 && Object.keys(canonical).length > 0 ? `${text}\n\nContext (JSON): ${JSON.stringify(canonical)}` : text;
  return question !== undefined && !quoted ? `${withContext}\n\n${quoteQuestion(question)}` : withContext;
}

/** The prompt placeholder a per-question intent's question fills (quoted as data). */
export const QUESTION_PLACEHOLDER = 'question';

function lookup(canonical: Record<string, unknown>, path: string): unknown {
  // With `contextFields`, canonical keys are the dotted paths themselves; without, the object is nested.
  if (path in canonical) return canonical[path];
  let value: unknown = canonical;
  for (const part of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}
