import { describe, expect, it } from 'vitest';
import { buildCacheKey, canonicalContext } from '../../../src/runtime/cache/cache-key';
import { CacheKeyError } from '../../../src/runtime/cache/errors';

describe('buildCacheKey', () => {
  it('gives equal keys for contexts that differ only in order, case, spacing and volatile fields', () => {
    const a = buildCacheKey('AboutDemo', { company: 'Acme  Corp', size: 50, sessionId: 's-1', timestamp: '2026-01-01T00:00:00Z' });
    const b = buildCacheKey('AboutDemo', { size: 50, company: ' acme corp ', sessionId: 's-2', requestId: 'r-9' });

    expect(a).toBe(b);
    expect(a).toMatch(/^RESPONSE#AboutDemo#[0-9a-f]{32}$/);
  });

  it('gives different keys for different meanings', () => {
    const base = buildCacheKey('AboutDemo', { company: 'Acme', size: 50 });

    expect(buildCacheKey('AboutDemo', { company: 'Acme', size: 51 })).not.toBe(base);
    expect(buildCacheKey('AboutDemo', { company: 'Acme Inc', size: 50 })).not.toBe(base);
    expect(buildCacheKey('AboutTechnology', { company: 'Acme', size: 50 })).not.toBe(base);
    expect(buildCacheKey('AboutDemo', { company: 'Acme', size: '50' })).not.toBe(base);
  });

  it('counts only the configured fields, dotted paths included', () => {
    const options = { fields: ['slots.company'] };

    expect(buildCacheKey('X', { slots: { company: 'Acme', name: 'Ana' } }, options))
      .toBe(buildCacheKey('X', { slots: { company: 'ACME', name: 'Bob' }, mood: 'happy' }, options));
  });

  it('keeps case when told to', () => {
    expect(buildCacheKey('X', { code: 'AbC' }, { caseInsensitive: false })).not.toBe(buildCacheKey('X', { code: 'abc' }, { caseInsensitive: false }));
  });

  it('drops null, undefined and empty strings, and folds -0 and Unicode forms', () => {
    expect(canonicalContext({ a: null, b: undefined, c: '  ', d: -0, e: 'Cafe\u0301' })).toBe(canonicalContext({ d: 0, e: 'café' }));
  });

  it('throws CacheKeyError naming the field that has no canonical form', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    expect(() => buildCacheKey('X', { when: new Date(0) })).toThrow(CacheKeyError);
    expect(() => buildCacheKey('X', { nested: { n: Infinity } })).toThrow(/'nested.n'/);
    expect(() => buildCacheKey('X', { list: [1, () => 1] })).toThrow(/'list\[1\]'/);
    expect(() => buildCacheKey('X', cyclic)).toThrow(/cycle/);
    expect(() => buildCacheKey('A#B', {})).toThrow(/'intent'/);
  });
});
