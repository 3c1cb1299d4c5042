// Runs the Python consumer (test/python/run.sh): the built wheel in a fresh venv with aws-cdk-lib from PyPI, under pytest.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const distPython = join(root, 'dist', 'python');
const runner = join(root, 'test', 'python', 'run.sh');
const pytestDir = join(root, 'test', 'python', 'app', 'tests');

function wheel(): string {
  const found = existsSync(distPython) ? readdirSync(distPython).filter((f) => /^cdk_fast_lex-.*\.whl$/.test(f)) : [];
  if (found.length !== 1) {
    throw new Error(`Expected one wheel dist/python/cdk_fast_lex-*.whl, found ${found.length}. Run 'npx projen package:python' (npm test does).`);
  }
  return join(distPython, found[0]);
}

/** Runs a command to its end without blocking the worker, keeping stdout and stderr interleaved as printed. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('the Python wheel, installed into a fresh virtual environment', () => {
  it('synthesizes a stack with ResponseCacheTable, CachedLexFulfillment and DemoCallWorkflow that passes its pytest suite', async () => {
    wheel();
    const expectedTests = readdirSync(pytestDir).filter((f) => /^test_.*\.py$/.test(f))
      .reduce((n, f) => n + (readFileSync(join(pytestDir, f), 'utf8').match(/^def test_/gm) ?? []).length, 0);

    const { code, output } = await run('bash', [runner]);

    if (code !== 0) {
      throw new Error(`test/python/run.sh exited with ${code}:\n${output}`);
    }
    // Every test in the files ran and passed: nothing skipped, deselected or left uncollected.
    expect(output).toMatch(new RegExp(`=+ ${expectedTests} passed(, \\d+ warnings?)? in [\\d.]+s`));
    expect(expectedTests).toBeGreaterThanOrEqual(7);
  }, 15 * 60_000);
});
