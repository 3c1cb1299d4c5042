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

/** The first fenced block of `language` after the heading `## <section>`. */
function readmeBlock(section: string, language: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  expect(start, `README section '${section}'`).toBeGreaterThan(-1);
  const match = new RegExp('```' + language + '[^\\n]*\\n([\\s\\S]*?)\\n```').exec(readme.slice(start));
  expect(match, `a ${language} block in '${section}'`).not.toBeNull();
  return match![1];
}

describe('the README "Use it" app in TypeScript', () => {
  // Inside the repository so that aws-cdk-lib resolves from its node_modules.
  const workDir = join(root, 'node_modules', '.cache', 'readme-app');
  mkdirSync(workDir, { recursive: true });
  const outdir = mkdtempSync(join(tmpdir(), 'readme-app-out-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes a bot, a version from its content, the live alias and the fulfillment function', () => {
    const source = readmeBlock('Use it', 'ts').replace(/from 'cdk-fast-lex'/g, `from '${join(root, 'src', 'index')}'`);
    const file = join(workDir, 'app.ts');
    writeFileSync(file, source);

    execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [file], { env: { ...process.env, CDK_OUTDIR: outdir }, stdio: 'pipe' });

    const template = JSON.parse(readFileSync(join(outdir, 'FastLexBot.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::Lex::Bot', 'AWS::Lex::BotVersion', 'AWS::Lex::BotAlias', 'AWS::Lambda::Alias', 'AWS::DynamoDB::Table']));
    const bot = Object.values(template.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lex::Bot');
    expect(bot.Properties.DataPrivacy).toEqual({ ChildDirected: false });
    expect(bot.Properties.BotLocales[0].Intents.map((i: any) => [i.Name, i.FulfillmentCodeHook])).toEqual([
      ['GreetingIntent', { Enabled: true }], ['FallbackIntent', { Enabled: true }],
    ]);
  });
});
