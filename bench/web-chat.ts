// Benchmark of the web chat: the page's weight, and the time from "Send" to the answer painted in headless Chromium,
// offline. Writes bench/results/web-chat.json and prints both.
//
// Page weight: every file of assets/web-chat as built, raw and gzip-compressed (CloudFront compresses text).
// Send to paint: in the page, performance.now() when Send is clicked to the first animation frame after the bot's
// answer is in the log (the frame that paints it). The path is the page's fetch, the local server standing in for
// CloudFront, the proxy bundle (DynamoDB on dynalite), the offline Lex runtime and the Atlas fulfillment bundle
// answering a question from its cache (filled once by the generator first). Stand-in latencies are zero: the figure is this code's own time on loopback,
// not CloudFront's, Lambda's or Lex's. Median of 20 after 3 warm-up sends.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startAtlasWebChat } from '../examples/atlas-engine/simulation/web';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/browser';

const SAMPLES = 20;
const WARMUP = 3;
const QUESTION = 'what technology do you use';
const root = resolve(__dirname, '..');

function pageWeight(): { files: Record<string, { bytes: number; gzipBytes: number }>; totalBytes: number; totalGzipBytes: number } {
  const dir = join(root, 'assets', 'web-chat');
  const files: Record<string, { bytes: number; gzipBytes: number }> = {};
  for (const f of readdirSync(dir).sort()) {
    const content = readFileSync(join(dir, f));
    files[f] = { bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  }
  const sum = (k: 'bytes' | 'gzipBytes') => Object.values(files).reduce((a, v) => a + v[k], 0);
  return { files, totalBytes: sum('bytes'), totalGzipBytes: sum('gzipBytes') };
}

async function main(): Promise<void> {
  const weight = pageWeight();
  const outdir = mkdtempSync(join(tmpdir(), 'atlas-web-bench-'));
  const chat = await startAtlasWebChat({ outdir, nodeModulesFrom: root, rateLimit: 1000 });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
    await page.goto(chat.url);
    // First ask fills the cache through the generator, so every measured send is answered from it.
    const sendOnce = () => page.evaluate(async (text) => {
      const box = document.getElementById('message') as HTMLTextAreaElement;
      const log = document.getElementById('log')!;
      const before = log.querySelectorAll('.msg.bot').length;
      box.value = text;
      const painted = new Promise<number>((done) => {
        const watch = new MutationObserver(() => {
          if (log.querySelectorAll('.msg.bot').length > before) {
            watch.disconnect();
            requestAnimationFrame(() => done(performance.now()));
          }
        });
        watch.observe(log, { childList: true });
      });
      const started = performance.now();
      (document.getElementById('send') as HTMLButtonElement).click();
      return (await painted) - started;
    }, QUESTION);
    await sendOnce();
    await chat.atlas.runGenerator();
    for (let i = 0; i < WARMUP; i++) await sendOnce();
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      samples.push(await sendOnce());
      await page.waitForFunction(() => document.getElementById('typing')!.hidden);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const median = (sorted[SAMPLES / 2 - 1] + sorted[SAMPLES / 2]) / 2;
    const results = {
      pageBytes: weight.totalBytes,
      pageGzipBytes: weight.totalGzipBytes,
      files: weight.files,
      sendToPaintSamples: SAMPLES,
      sendToPaintMedianMs: Number(median.toFixed(1)),
      sendToPaintMinMs: Number(sorted[0].toFixed(1)),
      sendToPaintMaxMs: Number(sorted[SAMPLES - 1].toFixed(1)),
      chromium: browser.version(),
      note: 'offline on 127.0.0.1: local server for CloudFront, proxy bundle on dynalite, Lex stand-in, Atlas fulfillment bundle (cache hit); no network or AWS latency',
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'web-chat.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.table(Object.fromEntries(Object.entries(weight.files).map(([f, v]) => [f, { bytes: v.bytes, gzip: v.gzipBytes }])));
    console.log(`page weight: ${(weight.totalBytes / 1024).toFixed(1)} KiB (${(weight.totalGzipBytes / 1024).toFixed(1)} KiB gzip), no third-party code`);
    console.log(`Send -> answer painted: median ${results.sendToPaintMedianMs} ms of ${SAMPLES} (min ${results.sendToPaintMinMs}, max ${results.sendToPaintMaxMs}), Chromium ${results.chromium}, offline`);
  } finally {
    await browser.close();
    await chat.stop();
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
