import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intentsJson } from '../../../src/runtime/cache/environment';

describe('the intents configuration', () => {
  it('is read from the file FAST_LEX_INTENTS_FILE names, ahead of FAST_LEX_INTENTS', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'intents-')), 'intents.json');
    writeFileSync(file, '{"GreetingIntent":{"staticAnswer":"Hello!"}}');

    expect(intentsJson({ FAST_LEX_INTENTS_FILE: file, FAST_LEX_INTENTS: '{}' })).toBe('{"GreetingIntent":{"staticAnswer":"Hello!"}}');
  });

  it('is read from FAST_LEX_INTENTS when no file is named', () => {
    expect(intentsJson({ FAST_LEX_INTENTS: '{"A":{"staticAnswer":"a"}}' })).toBe('{"A":{"staticAnswer":"a"}}');
  });

  it('names the variable and the missing file when the layer is absent', () => {
    expect(() => intentsJson({ FAST_LEX_INTENTS_FILE: '/opt/fast-lex/intents.json' }))
      .toThrow("Setting 'FAST_LEX_INTENTS_FILE' names '/opt/fast-lex/intents.json', which cannot be read (ENOENT).");
  });
});
