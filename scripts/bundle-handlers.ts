// Bundles every Lambda entry point in src/handlers into assets/handlers/<name>/index.js, shipped in the npm package.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..');
const handlersDir = join(root, 'src', 'handlers');
const outRoot = join(root, 'assets', 'handlers');
const metaRoot = join(root, '.bundle-meta');

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
    const result = await build({
      entryPoints: [join(handlersDir, file)],
      outfile: join(outdir, 'index.js'),
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
  }
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`bundled ${name}: ${(size / 1024).toFixed(1)} KiB`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
