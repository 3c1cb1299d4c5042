// Bundles every Lambda entry point in src/handlers into assets/handlers/<name>/index.js, shipped in the npm package.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = join(__dirname, '..');
const handlersDir = join(root, 'src', 'handlers');
const outRoot = join(root, 'assets', 'handlers');
const metaRoot = join(root, '.bundle-meta');

/**
 * Modules a handler loads with a dynamic `import()` only when it needs them, shipped as a second file beside
 * `index.js` instead of inside it, so that a cold start never parses them. The demo-request rules carry the phone
 * number metadata (about 160 KB) that only a turn starting a demo call reads.
 */
const LAZY_CHUNKS = [
  { filter: /[\\/]workflow[\\/]validate(\.js)?$/, source: join(root, 'src', 'runtime', 'workflow', 'validate.ts'), file: 'demo-request-rules.js' },
] as const;

/** Marks the dynamic imports of the lazy chunks external, pointing at the sibling file; records which were used. */
function lazyChunks(used: Set<(typeof LAZY_CHUNKS)[number]>): Plugin {
  return {
    name: 'lazy-chunks',
    setup(b) {
      for (const chunk of LAZY_CHUNKS) {
        b.onResolve({ filter: chunk.filter }, (args) => {
          if (args.kind !== 'dynamic-import') return undefined;
          used.add(chunk);
          return { path: `./${chunk.file}`, external: true };
        });
      }
    },
  };
}

async function main(): Promise<void> {
  const entries = (existsSync(handlersDir) ? readdirSync(handlersDir) : []).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  // Remove only bundles whose entry point is gone: tests may be reading the others while this runs.
  const names = new Set(entries.map((f) => basename(f, '.ts')));
  for (const stale of existsSync(outRoot) ? readdirSync(outRoot) : []) {
    if (!names.has(stale)) rmSync(join(outRoot, stale), { recursive: true, force: true });
  }
  const sizes: Record<string, number> = {};
  for (const file of entries) {
    const name = basename(file, '.ts');
    const outdir = join(outRoot, name);
    mkdirSync(outdir, { recursive: true });
    const used = new Set<(typeof LAZY_CHUNKS)[number]>();
    const result = await build({
      entryPoints: [join(handlersDir, file)],
      outfile: join(outdir, 'index.js'),
      plugins: [lazyChunks(used)],
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      // Error classes name themselves after their class (FastLexError); Step Functions Retry/Catch match on names.
      keepNames: true,
      sourcemap: true,
      sourcesContent: false,
      // The AWS SDK v3 comes from the Lambda runtime (nodejs24.x ships it) unless BUNDLE_AWS_SDK=1: bundling it
      // makes each handler 3-4x larger for no faster start (figures in README, "Bundling the AWS SDK").
      external: process.env.BUNDLE_AWS_SDK === '1' ? [] : ['@aws-sdk/*', '@smithy/*'],
      metafile: true,
      legalComments: 'linked',
      logLevel: 'warning',
    });
    // The metafile feeds the bundle-size figures; it stays out of the Lambda asset.
    mkdirSync(metaRoot, { recursive: true });
    writeFileSync(join(metaRoot, `${name}.json`), JSON.stringify(result.metafile));
    sizes[name] = statSync(join(outdir, 'index.js')).size;
    for (const stale of readdirSync(outdir).filter((f) => LAZY_CHUNKS.some((c) => c.file === f) && ![...used].some((c) => c.file === f))) {
      rmSync(join(outdir, stale), { force: true });
    }
    for (const chunk of used) {
      // The same settings as the handler: CommonJS, so the handler's require of the sibling file finds its exports.
      await build({
        entryPoints: [chunk.source], outfile: join(outdir, chunk.file), bundle: true, platform: 'node', target: 'node24', format: 'cjs',
        minify: true, keepNames: true, sourcemap: true, sourcesContent: false, external: ['@aws-sdk/*', '@smithy/*'],
        legalComments: 'linked', logLevel: 'warning',
      });
      sizes[`${name}/${chunk.file}`] = statSync(join(outdir, chunk.file)).size;
    }
  }
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`bundled ${name}: ${(size / 1024).toFixed(1)} KiB`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
