// A bot bigger than a demo: 50 intents with 500-character prompts synthesizes, and cfn-lint (which knows Lambda's
// 4 KB environment limit, rule E3697) finds no error.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lex from 'aws-cdk-lib/aws-lex';
import { describe, expect, it } from 'vitest';
import { CachedLexFulfillment, type IntentResponse } from '../../../src';
import { TEST_ENV } from '../../helpers/construct-test';

const cfnLint = join(resolve(__dirname, '..', '..', '..'), '.venv', 'bin', 'cfn-lint');
const INTENTS = 50;

function prompt(i: number): string {
  const text = `You answer question ${i} of a caller of the Atlas Engine demo line about pricing, plans and onboarding. `;
  return text.repeat(Math.ceil(500 / text.length)).slice(0, 500);
}

describe('CachedLexFulfillment with a 50-intent bot', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'fast-lex-large-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'LargeBot', { env: TEST_ENV });
  const role = new iam.Role(stack, 'BotRole', { assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com') });
  const intents: IntentResponse[] = Array.from({ length: INTENTS }, (_, i) => ({
    intentName: `Question${i}Intent`, staticAnswer: `Here is what I know about topic ${i}.`, prompt: prompt(i), systemPrompt: 'Answer in two sentences.',
  }));
  const bot = new lex.CfnBot(stack, 'Bot', {
    name: 'LargeBot', roleArn: role.roleArn, dataPrivacy: { ChildDirected: false }, idleSessionTtlInSeconds: 300, autoBuildBotLocales: true,
    botLocales: [{
      localeId: 'en_US', nluConfidenceThreshold: 0.4,
      intents: [
        ...intents.map((intent, i) => ({ name: intent.intentName, sampleUtterances: [{ utterance: `tell me about topic ${i}` }] })),
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
      ],
    }],
  });
  new CachedLexFulfillment(stack, 'Fulfillment', { bot, intents });
  app.synth();

  it('keeps every function environment under 4 KB', () => {
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as any[];
    const sizes = fns.map((f) => JSON.stringify(f.Properties.Environment?.Variables ?? {}).length);

    expect(prompt(0)).toHaveLength(500);
    expect(Math.max(...sizes)).toBeLessThan(4096);
  });

  it('passes cfn-lint with no errors', () => {
    expect(existsSync(cfnLint), 'cfn-lint missing: run scripts/setup-python.sh').toBe(true);
    let output = '[]';
    try {
      output = execFileSync(cfnLint, ['--format', 'json', join(outdir, 'LargeBot.template.json')], { encoding: 'utf8' });
    } catch (err) {
      output = (err as { stdout: string }).stdout; // non-zero on any finding, warnings included
    }
    const errors = (JSON.parse(output) as Array<{ Level: string; Rule: { Id: string }; Message: string }>)
      .filter((f) => f.Level === 'Error').map((f) => `${f.Rule.Id}: ${f.Message}`);

    expect(errors).toEqual([]);
  });
});
