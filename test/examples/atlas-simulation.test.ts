// The README's main job, end to end: `tsx examples/atlas-engine/bin/main.ts` synthesizes, checks and runs the Atlas
// Engine offline; and the pieces of its interactive and remote modes.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { INTENTS } from '../../examples/atlas-engine/lib/bot-definition';
import { matchIntent } from '../../examples/atlas-engine/simulation/intent-matcher';
import { recognizeTextInput } from '../../examples/atlas-engine/simulation/remote';
import { expectMeasuredReportOfRun } from '../report/atlas-measured';

const root = resolve(__dirname, '..', '..');

describe('the offline Atlas Engine (npm run atlas)', () => {
  it('plays the scripted session: misses then hits, a fallback, a demo call that reads the scenario, the workflow done', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'examples/atlas-engine/bin/main.ts'], {
      cwd: root, timeout: 240_000, maxBuffer: 10 * 1024 * 1024,
    });

    expect(stdout).toContain('cdk-nag AwsSolutions: 0 unacknowledged findings; LatencyChecks: 0; cfn-lint: 0 errors');
    const statuses = [...stdout.matchAll(/Atlas {2}\[[\d.]+ ms, ([a-z0-9-]+)\]/g)].map((m) => m[1]);
    expect(statuses).toEqual(['miss', 'miss', 'l2-hit', 'l2-hit', 'l1-hit', 'l1-hit', 'static', 'delegate', 'started', 'miss', 'l2-hit', 'started']);
    expect(stdout).toMatch(/Caller "tell me about the demo"\n {2}Atlas {2}\[[\d.]+ ms, l2-hit\] +Scenario:/);
    expect(stdout).toMatch(/execution SUCCEEDED in \d+ ms: ValidateRequest/);
    expect(stdout).toMatch(/\| Demo workflow: start -> call placed, warm +\| \d+ ms/);
    // The run wrote its measured figures into cdk.out: the report puts them beside the model, step by step.
    expectMeasuredReportOfRun(join(root, 'examples', 'atlas-engine', 'cdk.out'), mkdtempSync(join(tmpdir(), 'atlas-measured-report-')));
  }, 300_000);
});

describe('offline intent matching (interactive mode)', () => {
  it.each([
    ['hello', 'GreetingIntent'],
    ['Hi there!', 'GreetingIntent'],
    ['how does the technology work', 'AboutTechnologyIntent'],
    ['tell me about the demo', 'AboutDemoIntent'],
    ['please book a demo', 'RequestDemoIntent'],
    ['purple monkey dishwasher', 'FallbackIntent'],
  ])('matches "%s" to %s by the sample utterances', (text, intent) => {
    expect(matchIntent(text, INTENTS).intent).toBe(intent);
  });
});

describe('remote mode (Lex RecognizeText against a deployed bot)', () => {
  it('builds the RecognizeText request for one utterance of a session', () => {
    expect(recognizeTextInput({ botId: 'ABCDEFGHIJ', botAliasId: 'TSTALIASID' }, 'atlas-sim-1', 'hello', { visitor: 'new' })).toEqual({
      botId: 'ABCDEFGHIJ', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: 'atlas-sim-1', text: 'hello',
      sessionState: { sessionAttributes: { visitor: 'new' } },
    });
  });

  it('names the bad argument instead of calling Lex with it', () => {
    expect(() => recognizeTextInput({ botId: 'nope', botAliasId: 'TSTALIASID' }, 'atlas-sim-1', 'hi')).toThrow(/--bot-id must be the 10-character Lex bot id/);
    expect(() => recognizeTextInput({ botId: 'ABCDEFGHIJ', botAliasId: 'x' }, 'atlas-sim-1', 'hi')).toThrow(/--bot-alias-id/);
  });
});
