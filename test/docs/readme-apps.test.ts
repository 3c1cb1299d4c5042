// The README's "Use it" app runs as written: its TypeScript block is executed (with `cdk-fast-lex` resolved to this
// repository's source) and synthesizes the bot, its version and alias, and the fulfillment path. jsii-rosetta
// compiles the same block in strict mode (`npm run rosetta:extract`); the Python block runs in the Python consumer
// test (test/python/app/tests/test_readme_app.py).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');

/** The first fenced block of `language` after the heading `## <section>` (or `### <section>` with level 3). */
function readmeBlock(section: string, language: string, level = 2): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${'#'.repeat(level)} ${section}\n`);
  expect(start, `README section '${section}'`).toBeGreaterThan(-1);
  const match = new RegExp('```' + language + '[^\\n]*\\n([\\s\\S]*?)\\n```').exec(readme.slice(start));
  expect(match, `a ${language} block in '${section}'`).not.toBeNull();
  return match![1];
}

describe('the README "Use it" apps in TypeScript', () => {
  // Inside the repository so that aws-cdk-lib resolves from its node_modules.
  const workDir = join(root, 'node_modules', '.cache', 'readme-app');
  mkdirSync(workDir, { recursive: true });
  const outdir = mkdtempSync(join(tmpdir(), 'readme-app-out-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Writes the block as app.ts (`cdk-fast-lex` resolved to this repository's source), type-checks it strictly and runs it. */
  function synthesize(block: string, name: string): Record<string, any> {
    const file = join(workDir, `${name}.ts`);
    writeFileSync(file, block.replace(/from 'cdk-fast-lex'/g, `from '${join(root, 'src', 'index')}'`));
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--esModuleInterop', '--target', 'es2022',
      '--module', 'preserve', '--moduleResolution', 'bundler', '--types', 'node', file], { cwd: root, stdio: 'pipe' });
    execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [file], { env: { ...process.env, CDK_OUTDIR: join(outdir, name) }, stdio: 'pipe' });
    return JSON.parse(readFileSync(join(outdir, name, 'FastLexBot.template.json'), 'utf8'));
  }

  function expectBotPath(template: Record<string, any>): void {
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::Lex::Bot', 'AWS::Lex::BotVersion', 'AWS::Lex::BotAlias', 'AWS::Lambda::Alias', 'AWS::DynamoDB::Table']));
    const bot = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lex::Bot');
    expect(bot.Properties.DataPrivacy).toEqual({ ChildDirected: false });
    expect(bot.Properties.BotLocales[0].Intents.map((i: any) => [i.Name, i.FulfillmentCodeHook])).toEqual([
      ['GreetingIntent', { Enabled: true }], ['FallbackIntent', { Enabled: true }],
    ]);
  }

  it('the smallest app (FastLexBot, at most 20 lines) compiles and synthesizes a bot, a version from its content, the live alias and the fulfillment function', () => {
    const block = readmeBlock('Use it', 'ts');
    expect(block.split('\n').length).toBeLessThanOrEqual(20);
    expectBotPath(synthesize(block, 'fast-lex-bot'));
  });

  it('the app with a CfnBot of its own compiles and synthesizes the same bot path', () => {
    expectBotPath(synthesize(readmeBlock('With a CfnBot of your own', 'ts', 3), 'cfn-bot'));
  });
});
