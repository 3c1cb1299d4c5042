// The construct-to-runtime contract lives in src/shared/, the only folder both sides import. This test reads every
// import in src/ and fails on one that crosses a line: a jsii construct that reaches into the Node-only runtime, a
// runtime module that knows the report, a shared module that imports anything at all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Every `.ts` file under a folder of src/. */
function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(SRC, folder));
  return out;
}

/** The module specifiers a file imports: static imports, re-exports and dynamic `import()`. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm, /^\s*import\s+['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec);
/** The top folder of src/ a relative import lands in (`shared`, `runtime`, ...). */
const folderOf = (file: string, spec: string) => relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0];

interface Rule {
  /** The folders of src/ a file here may import from (its own included). */
  readonly folders: readonly string[];
  /** Whether a package (not a relative path) is allowed, by name. */
  readonly packageAllowed: (spec: string) => boolean;
}

const JSII_PACKAGES = (spec: string) => isNodeBuiltin(spec) || spec === 'constructs' || spec === 'aws-cdk-lib' || spec.startsWith('aws-cdk-lib/');
const RULES: Record<string, Rule> = {
  // jsii: Python users get these; nothing but the CDK, constructs and node itself.
  constructs: { folders: ['constructs', 'shared'], packageAllowed: JSII_PACKAGES },
  checks: { folders: ['checks', 'shared'], packageAllowed: JSII_PACKAGES },
  // The Node-only SDK: any package its subpath documents, but no other folder of ours.
  runtime: { folders: ['runtime', 'shared'], packageAllowed: () => true },
  // The report and its CLI read synthesized templates through the checks' model, never the runtime.
  report: { folders: ['report', 'checks', 'shared'], packageAllowed: () => true },
  cli: { folders: ['cli', 'report', 'checks', 'shared'], packageAllowed: () => true },
  // The contract itself depends on nothing.
  shared: { folders: ['shared'], packageAllowed: () => false },
};

/** The imports of the files under `folder` that break its rule, as `file: specifier` lines. */
function violations(folder: string): string[] {
  const rule = RULES[folder];
  const found: string[] = [];
  for (const file of sourceFiles(folder)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const ok = spec.startsWith('.') ? rule.folders.includes(folderOf(file, spec)) : rule.packageAllowed(spec);
      if (!ok) found.push(`${relative(SRC, file)}: ${spec}`);
    }
  }
  return found;
}

describe('import boundaries of src/', () => {
  for (const folder of Object.keys(RULES)) {
    it(`keeps src/${folder}/ to ${RULES[folder].folders.join(' and ')}${folder === 'constructs' || folder === 'checks' ? ' (and aws-cdk-lib, constructs, node)' : ''}`, () => {
      expect(violations(folder)).toEqual([]);
    });
  }

  it('reads static imports, re-exports and dynamic imports', () => {
    const source = "import { a } from '../runtime/x';\nexport { b } from './y';\nimport './side-effect';\nconst m = await import('../z.js');";
    expect(importsOf(source)).toEqual(['../runtime/x', './y', './side-effect', '../z.js']);
  });
});
