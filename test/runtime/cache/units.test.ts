import { describe, expect, it } from 'vitest';
import { answerEntry } from '../../../src/runtime/cache/dynamo-store';
import { GenerationRequestError, IntentConfigError } from '../../../src/runtime/cache/errors';
import { encodeGenerationRequest, parseGenerationRequest, type GenerationRequest } from '../../../src/runtime/cache/generation-request';
import { canonicalContextObject, parseIntentConfigs, renderPrompt } from '../../../src/runtime/cache/intent-config';
import { MemoryTier } from '../../../src/runtime/cache/memory-tier';
import { TurnBudget } from '../../../src/runtime/cache/turn-budget';

describe('intent configuration', () => {
  it('round-trips through JSON, as a construct passes it in an environment variable', () => {
    const config = { Demo: { staticAnswer: 'Hi', prompt: 'Say hi to {{name}}', ttlSeconds: 60, contextFields: ['name'] } };

    expect(parseIntentConfigs(JSON.stringify(config))).toEqual(config);
  });

  it('names the intent and field that are wrong', () => {
    expect(() => parseIntentConfigs('{"Demo":{"staticAnswer":""}}')).toThrow(/'Demo': 'staticAnswer'/);
    expect(() => parseIntentConfigs('{"Demo":{"staticAnswer":"a","ttlSeconds":-1}}')).toThrow(IntentConfigError);
    expect(() => parseIntentConfigs('{"Demo":{"staticAnswer":"a","contextFields":"x"}}')).toThrow(/contextFields/);
    expect(() => parseIntentConfigs('not json')).toThrow(/not valid JSON/);
  });

  it('fills prompt placeholders from the canonical context, and appends the context when there are none', () => {
    const withFields = { staticAnswer: 'a', prompt: 'About {{slots.company}} ({{size}})', contextFields: ['slots.company', 'size'] };
    const plain = { staticAnswer: 'a', prompt: 'Tell me.' };

    expect(renderPrompt(withFields, canonicalContextObject(withFields, { slots: { company: ' ACME ' }, size: 5, sessionId: 'x' }))).toBe('About acme (5)');
    expect(renderPrompt(plain, canonicalContextObject(plain, { topic: 'Price', sessionId: 'x' }))).toBe('Tell me.\n\nContext (JSON): {"topic":"price"}');
  });
});

describe('generation request body', () => {
  const request: GenerationRequest = {
    version: 1, key: 'RESPONSE#Demo#abc', intent: 'Demo', context: {}, prompt: 'p', ttlSeconds: 300, staleSeconds: 60, reason: 'miss', requestedAt: 1,
  };

  it('round-trips version 1', () => {
    expect(parseGenerationRequest(encodeGenerationRequest(request))).toEqual(request);
  });

  it('rejects bodies that are not JSON, another version, or incomplete', () => {
    expect(() => parseGenerationRequest('{oops')).toThrow(GenerationRequestError);
    expect(() => parseGenerationRequest(JSON.stringify({ ...request, version: 2 }))).toThrow(/version 2/);
    expect(() => parseGenerationRequest(JSON.stringify({ ...request, prompt: '' }))).toThrow(/'prompt'/);
    expect(() => parseGenerationRequest(JSON.stringify({ ...request, key: 'RESPONSE#Other#abc' }))).toThrow(/'key'/);
  });
});

describe('MemoryTier', () => {
  it('evicts the least recently used entry beyond its entry bound', () => {
    const tier = new MemoryTier({ maxEntries: 2, clock: () => 0 });
    tier.set('a', answerEntry('I', 'A', 0, 60, 60));
    tier.set('b', answerEntry('I', 'B', 0, 60, 60));
    tier.get('a');
    tier.set('c', answerEntry('I', 'C', 0, 60, 60));

    expect([tier.get('a')?.answer, tier.get('b'), tier.get('c')?.answer]).toEqual(['A', undefined, 'C']);
  });

  it('stays within its byte bound', () => {
    const tier = new MemoryTier({ maxBytes: 1000, clock: () => 0 });
    for (let i = 0; i < 10; i++) tier.set(`k${i}`, answerEntry('I', 'x'.repeat(300), 0, 60, 60));

    expect(tier.bytes).toBeLessThanOrEqual(1000);
    expect(tier.size).toBe(2);
  });

  it('drops an entry past its stale window when read, and never replaces a newer answer with an older one', () => {
    let now = 0;
    const tier = new MemoryTier({ clock: () => now });
    tier.set('k', answerEntry('I', 'new', 1000, 60, 60));
    tier.set('k', answerEntry('I', 'old', 0, 60, 60));

    expect(tier.get('k')?.answer).toBe('new');
    now = 1000 + 120_000;
    expect(tier.get('k')).toBeUndefined();
    expect(tier.size).toBe(0);
  });
});

describe('TurnBudget', () => {
  it('runs a call late in the turn, when what is left is a fraction of a millisecond, instead of throwing RangeError', async () => {
    // performance.now() is fractional: a budget's remaining time almost never is a whole number of milliseconds.
    let now = 0;
    const budget = new TurnBudget(100, () => now);
    now = 60.25;

    const result = await budget.run('DynamoDB Query', async (signal) => (signal.aborted ? 'aborted' : 'answered'), 1);
    budget.dispose();

    expect(result).toBe('answered');
  });
});
