// Installs the npm tarball that `npm test` just packed into a fresh CDK app, as a user would, and synthesizes it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const distJs = join(root, 'dist', 'js');

function tarball(): string {
  const found = existsSync(distJs) ? readdirSync(distJs).filter((f) => f.endsWith('.tgz')) : [];
  if (found.length !== 1) {
    throw new Error(`Expected one npm tarball in dist/js, found ${found.length}. Run 'npx projen package:js' (npm test does).`);
  }
  return join(distJs, found[0]);
}

describe('the npm package, installed into a fresh CDK app', () => {
  let app: string;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'cdk-fast-lex-consumer-'));
    const cdkVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
    const constructsVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'constructs', 'package.json'), 'utf8')).version;
    // What a Lambda author installs to import cdk-fast-lex/runtime (README, "Runtime and test-kit packages").
    const runtimePackages = ['lru-cache', '@aws-lambda-powertools/metrics', 'wink-porter2-stemmer', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-secrets-manager']
      .map((name) => `${name}@${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version}`);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, version: '1.0.0' }));
    execFileSync('npm', [
      'install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
      tarball(), `aws-cdk-lib@${cdkVersion}`, `constructs@${constructsVersion}`, ...runtimePackages,
    ], { cwd: app, stdio: 'pipe' });
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, outDir: 'out', skipLibCheck: true, types: [] },
      files: ['app.ts'],
    }));
    writeFileSync(join(app, 'app.ts'), [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { ResponseCacheTable } from 'cdk-fast-lex';",
      "import { FAST_LEX_ENV } from 'cdk-fast-lex/runtime';",
      "import { buildCacheKey } from 'cdk-fast-lex/runtime/cache';",
      'const app = new App();',
      "const stack = new Stack(app, 'Consumer');",
      "const cache = new ResponseCacheTable(stack, 'Cache');",
      "const key: string = buildCacheKey('GreetingIntent', { Locale: ' en_US ' });",
      "stack.exportValue(cache.table.tableName, { name: 'CacheKeyExample-' + key.split('#')[2] });",
      "stack.exportValue(FAST_LEX_ENV.cacheTable, { name: 'CacheTableVariable' });",
      'app.synth();',
    ].join('\n'));
  }, 600_000);

  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('type-checks against the published declarations of cdk-fast-lex, cdk-fast-lex/runtime and a feature subpath', () => {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });

    expect(existsSync(join(app, 'out', 'app.js'))).toBe(true);
  }, 120_000);

  it('synthesizes a stack with ResponseCacheTable from the installed package', () => {
    const outdir = join(app, 'cdk.out');
    execFileSync(process.execPath, ['out/app.js'], { cwd: app, env: { ...process.env, CDK_OUTDIR: outdir }, stdio: 'pipe' });

    const template = JSON.parse(readFileSync(join(outdir, 'Consumer.template.json'), 'utf8'));
    const tables = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>)
      .filter((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(tables[0].Properties.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    const outputs = Object.values(template.Outputs as Record<string, { Value: unknown; Export: { Name: string } }>);
    expect(outputs.map((o) => o.Export.Name)).toEqual([expect.stringMatching(/^CacheKeyExample-[0-9a-f]{32}$/), 'CacheTableVariable']);
    // The environment contract from the runtime's root entry point, as a Lambda author reads it.
    expect(outputs[1].Value).toBe('FAST_LEX_CACHE_TABLE');
  }, 120_000);
});
