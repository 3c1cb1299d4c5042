// Bundles the chat page (src/web-chat-page) into assets/web-chat: index.html, chat.js and chat.css, shipped in the npm package.
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..');
const pageDir = join(root, 'src', 'web-chat-page');
const outDir = join(root, 'assets', 'web-chat');

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(pageDir, 'chat.ts'), join(pageDir, 'chat.css')],
    outdir: outDir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // Browsers of the last few years: crypto.randomUUID, requestSubmit and SubtleCrypto are all there.
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) copyFileSync(join(pageDir, file), join(outDir, file));
  let total = 0;
  for (const file of readdirSync(outDir)) {
    const size = statSync(join(outDir, file)).size;
    total += size;
    console.log(`web chat ${file}: ${(size / 1024).toFixed(1)} KiB`);
  }
  console.log(`web chat page: ${(total / 1024).toFixed(1)} KiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
