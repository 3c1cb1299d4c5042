import { describe, expect, it } from 'vitest';
import { buildCacheKey } from '../../../src/runtime/cache/cache-key';
import { keyOptionsFor, promptContextObject, renderPrompt } from '../../../src/runtime/cache/intent-config';
import type { IntentCacheConfig } from '../../../src/shared/wire';

const CONFIG: IntentCacheConfig = { staticAnswer: 'Hello!', prompt: 'Open the call. Scenario: {{call.scenario}}', contextFields: ['call.scenario'] };

describe('the prompt of a case-insensitive key', () => {
  it('keeps the scenario as written, while both spellings share one key', () => {
    const upper = { call: { scenario: 'Maria from ACME wants a demo of Atlas  on Friday.' } };
    const lower = { call: { scenario: 'maria from acme wants a demo of atlas on friday.' } };

    expect(renderPrompt(CONFIG, promptContextObject(CONFIG, upper))).toBe('Open the call. Scenario: Maria from ACME wants a demo of Atlas on Friday.');
    expect(buildCacheKey('GreetingIntent', upper, keyOptionsFor(CONFIG))).toEqual(buildCacheKey('GreetingIntent', lower, keyOptionsFor(CONFIG)));
  });

  it('leaves out of the prompt what the key leaves out (fields outside contextFields)', () => {
    const context = { call: { scenario: 'Demo for Maria.' }, phone: '+14155550100' };

    expect(promptContextObject(CONFIG, context)).not.toHaveProperty('phone');
  });
});
