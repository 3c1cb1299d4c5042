// The stand-in reads a user's bot from a synthesized app: the AWS::Lex::Bot, the bot alias and its version, and the
// function behind the alias's code hook, run from its asset with its environment; and refuses what Lex would get wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatencyChecks } from '../../../src/checks';
import { LexAssemblyError, startLexStandIn } from '../../../src/testing/lex-stand-in';
import { lexClient } from './bots';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lex-stand-in-app-'));
  // The function's bundle: it answers with its own environment, so the test sees the template's variables arrive.
  writeFileSync(join(work, 'index.js'), `exports.handler = async (event) => ({
    sessionState: { sessionAttributes: event.sessionState.sessionAttributes, dialogAction: { type: 'Close' }, intent: { ...event.sessionState.intent, state: 'Fulfilled' } },
    messages: [{ contentType: 'PlainText', content: process.env.GREETING + ' (' + event.bot.version + ')' }],
  });`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A user's app: one bot, a version, an alias whose code hook is `codeHook(fn)`. */
function synthesize(codeHook: (fn: lambda.Function, alias: lambda.Alias) => string): string {
  return synthesizeApp(codeHook).directory;
}

function synthesizeApp(codeHook: (fn: lambda.Function, alias: lambda.Alias) => string): { directory: string; stack: Stack } {
  const app = new App({ outdir: mkdtempSync(join(work, 'cdk.out-')) });
  const stack = new Stack(app, 'Bots', { env: { account: '111122223333', region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Hook', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(work, { exclude: ['cdk.out-*'] }),
    environment: { GREETING: 'Hello from the asset' },
  });
  const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
  const bot = new lex.CfnBot(stack, 'Bot', {
    name: 'HelloBot', roleArn: 'arn:aws:iam::111122223333:role/lex', dataPrivacy: { ChildDirected: false }, idleSessionTtlInSeconds: 120,
    botLocales: [{
      localeId: 'en_GB', nluConfidenceThreshold: 0.5,
      intents: [
        { name: 'Hello', sampleUtterances: [{ utterance: 'hello there' }], fulfillmentCodeHook: { enabled: true } },
        { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
      ],
    }],
  });
  const version = new lex.CfnBotVersion(stack, 'Version', { botId: bot.attrId, botVersionLocaleSpecification: [{ localeId: 'en_GB', botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' } }] });
  new lex.CfnBotAlias(stack, 'Alias', {
    botId: bot.attrId, botAliasName: 'prod', botVersion: version.attrBotVersion,
    botAliasLocaleSettings: [{ localeId: 'en_GB', botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: { lambdaArn: codeHook(fn, live), codeHookInterfaceVersion: '1.0' } } } }],
  });
  return { directory: app.synth().directory, stack };
}

describe('a bot read from a cloud assembly', () => {
  it('runs the bot alias and the function behind its Lambda alias, with the function environment and the alias version', async () => {
    const standIn = await startLexStandIn({ assembly: synthesize((_, alias) => alias.functionArn), nodeModulesFrom: process.cwd() });
    const client = lexClient(standIn.endpoint);
    try {
      expect(standIn.localeId).toBe('en_GB');
      expect(standIn.botId).toMatch(/^[0-9A-Z]{10}$/);
      const out = await client.send(new RecognizeTextCommand({ botId: standIn.botId, botAliasId: standIn.botAliasId, localeId: 'en_GB', sessionId: 'user-1', text: 'hello there' }));
      expect(out.messages?.[0]?.content).toBe('Hello from the asset (1)');
      expect(standIn.codeHookCalls[0].event).toMatchObject({ bot: { name: 'HelloBot', aliasName: 'prod', version: '1', localeId: 'en_GB' } });
    } finally {
      client.destroy();
      await standIn.close();
    }
  });

  // CloudFormation takes any function ARN as the code hook (AWSCloudFormation/latest/UserGuide/aws-properties-lex-botalias-lambdacodehook.html)
  // and Lex invokes $LATEST for an unqualified one;
  // that it is slow is a synth-time finding (LatencyChecks FastLex-L1), not a reason for the test kit to refuse the bot.
  it('runs a bot alias whose code hook is the unqualified function ARN, which LatencyChecks reports at synth as FastLex-L1', async () => {
    const { directory, stack } = synthesizeApp((fn) => fn.functionArn);
    expect(LatencyChecks.unacknowledgedFindings(stack).filter((f) => f.startsWith('FastLex-L1'))).toEqual([
      expect.stringMatching(/^FastLex-L1 Bots\/Alias: .*code hook invokes .* unqualified \(\$LATEST\)/),
    ]);
    const standIn = await startLexStandIn({ assembly: directory, nodeModulesFrom: process.cwd() });
    const client = lexClient(standIn.endpoint);
    try {
      const out = await client.send(new RecognizeTextCommand({ botId: standIn.botId, botAliasId: standIn.botAliasId, localeId: 'en_GB', sessionId: 'user-2', text: 'hello there' }));
      expect(out.messages?.[0]?.content).toBe('Hello from the asset (1)');
    } finally {
      client.destroy();
      await standIn.close();
    }
  });

  // Built-in slot types: lexv2/latest/dg/built-in-slots.html. A type the runtime does not model is refused, never
  // filled with whatever the user said.
  it('refuses, at start, a bot whose slot uses a built-in type the offline runtime does not model, naming the slot and the type', async () => {
    const bot = { name: 'Shop', botLocales: [{ localeId: 'en_US', intents: [
      { name: 'Pay', sampleUtterances: [{ utterance: 'pay' }], slots: [{ name: 'Amount', slotTypeName: 'AMAZON.Currency', valueElicitationSetting: { slotConstraint: 'Required' } }] },
      { name: 'FallbackIntent', parentIntentSignature: 'AMAZON.FallbackIntent' },
    ] }] };
    await expect(startLexStandIn({ bot })).rejects.toThrow(LexAssemblyError);
    await expect(startLexStandIn({ bot })).rejects.toThrow(/en_US Pay\.Amount \(AMAZON\.Currency\).*It models AMAZON\.AlphaNumeric, AMAZON\.City/);
  });

  it('names the missing directory when the app was not synthesized', async () => {
    await expect(startLexStandIn({ assembly: join(work, 'no-such-cdk.out') })).rejects.toThrow(/does not exist; synthesize the app first/);
  });
});
