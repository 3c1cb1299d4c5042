// Benchmark of the web chat: the page's weight, the time from "Send" to a cached answer painted, and the time from
// "Send" to the first word of a new question's streamed answer painted, in headless Chromium, offline. Writes
// bench/results/web-chat.json and prints them.
//
// Page weight: every file of assets/web-chat as built, raw and gzip-compressed (CloudFront compresses text).
// Send to paint: in the page, performance.now() when Send is clicked to the first animation frame after the bot's
// answer is in the log (the frame that paints it). The path is the page's fetch, the local server standing in for
// CloudFront, the proxy bundle (DynamoDB on dynalite), the offline Lex runtime and the Atlas fulfillment bundle
// answering a question from its cache (filled once by the generator first). Stand-in latencies are zero: the figure is this code's own time on loopback,
// not CloudFront's, Lambda's or Lex's. Median of 20 after 3 warm-up sends.
// Send to first streamed word: 20 new questions (each in a new session, each a question no other answers: a named
// place makes each its own), the Bedrock stand-in's time to first token set to 500 ms; from Send to the frame that paints
// the streaming bubble's first words. What is over 500 ms is the page, the proxy, Lex, the fulfillment's lease and
// ticket, and the stream's first event on loopback.
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
const TIME_TO_FIRST_TOKEN_MS = 500;
/** A new question each time: a named place is part of the meaning, so no answer is reused for another. */
const PLACES = ['Lisbon', 'Oslo', 'Kyoto', 'Lima', 'Nairobi', 'Quebec', 'Perth', 'Tbilisi', 'Bergen', 'Cusco', 'Dakar', 'Hanoi', 'Krakow',
  'Malaga', 'Porto', 'Riga', 'Seville', 'Tallinn', 'Utrecht', 'Valencia', 'Windhoek', 'Zagreb', 'Bordeaux'];
const newQuestion = (i: number) => `which AI do you use in ${PLACES[i]}`;
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
    const sendOnce = (on = page, text = QUESTION) => on.evaluate(async (question) => {
      const box = document.getElementById('message') as HTMLTextAreaElement;
      const log = document.getElementById('log')!;
      const before = log.querySelectorAll('.msg.bot').length;
      box.value = question;
      let streamed = false;
      const painted = new Promise<number>((done) => {
        const watch = new MutationObserver(() => {
          if (log.querySelectorAll('.msg.bot').length > before) {
            watch.disconnect();
            // What was added: the streaming bubble (a new answer's first words) or a whole answer.
            streamed = log.querySelectorAll('.msg.bot')[before].classList.contains('streaming');
            requestAnimationFrame(() => done(performance.now()));
          }
        });
        watch.observe(log, { childList: true });
      });
      const started = performance.now();
      (document.getElementById('send') as HTMLButtonElement).click();
      const ms = (await painted) - started;
      return { ms, streamed };
    }, text);
    // The first ask streams the answer and stores it, so every measured send is answered from the cache.
    await sendOnce();
    await page.waitForFunction(() => document.getElementById('log')!.getAttribute('aria-busy') === 'false');
    for (let i = 0; i < WARMUP; i++) await sendOnce();
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const sample = await sendOnce();
      if (sample.streamed) throw new Error('a cached send was streamed: the cache did not answer it');
      samples.push(sample.ms);
      await page.waitForFunction(() => document.getElementById('log')!.getAttribute('aria-busy') === 'false');
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const median = (sorted[SAMPLES / 2 - 1] + sorted[SAMPLES / 2]) / 2;

    // New questions, streamed: each in a fresh session (the per-session generation bound is not what is measured).
    chat.atlas.bedrock.setLatency({ timeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS, outputTokensPerSecond: 150 });
    const firstWord: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 760 } });
      const visitor = await context.newPage();
      await visitor.goto(chat.url);
      const sample = await sendOnce(visitor, newQuestion(i));
      if (!sample.streamed) throw new Error(`new question ${i} was not streamed`);
      await visitor.waitForFunction(() => document.getElementById('log')!.getAttribute('aria-busy') === 'false');
      await context.close();
      if (i >= WARMUP) firstWord.push(sample.ms);
    }
    const streamSorted = [...firstWord].sort((a, b) => a - b);
    const streamMedian = (streamSorted[SAMPLES / 2 - 1] + streamSorted[SAMPLES / 2]) / 2;
    const results = {
      pageBytes: weight.totalBytes,
      pageGzipBytes: weight.totalGzipBytes,
      files: weight.files,
      sendToPaintSamples: SAMPLES,
      sendToPaintMedianMs: Number(median.toFixed(1)),
      sendToPaintMinMs: Number(sorted[0].toFixed(1)),
      sendToPaintMaxMs: Number(sorted[SAMPLES - 1].toFixed(1)),
      streamTimeToFirstTokenMs: TIME_TO_FIRST_TOKEN_MS,
      sendToFirstStreamedWordSamples: SAMPLES,
      sendToFirstStreamedWordMedianMs: Number(streamMedian.toFixed(1)),
      sendToFirstStreamedWordMinMs: Number(streamSorted[0].toFixed(1)),
      sendToFirstStreamedWordMaxMs: Number(streamSorted[SAMPLES - 1].toFixed(1)),
      overTimeToFirstTokenMedianMs: Number((streamMedian - TIME_TO_FIRST_TOKEN_MS).toFixed(1)),
      chromium: browser.version(),
      note: 'offline on 127.0.0.1: local server for CloudFront (streaming as a RESPONSE_STREAM function URL), proxy bundle on dynalite, Lex stand-in, Atlas fulfillment bundle; cached: a cache hit; streamed: a new question, Bedrock stand-in ConverseStream with 500 ms to the first token; no network or AWS latency',
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'web-chat.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.table(Object.fromEntries(Object.entries(weight.files).map(([f, v]) => [f, { bytes: v.bytes, gzip: v.gzipBytes }])));
    console.log(`page weight: ${(weight.totalBytes / 1024).toFixed(1)} KiB (${(weight.totalGzipBytes / 1024).toFixed(1)} KiB gzip), no third-party code`);
    console.log(`Send -> first streamed word painted (new question, stand-in TTFT ${TIME_TO_FIRST_TOKEN_MS} ms): median ${results.sendToFirstStreamedWordMedianMs} ms of ${SAMPLES} (min ${results.sendToFirstStreamedWordMinMs}, max ${results.sendToFirstStreamedWordMaxMs}), ${results.overTimeToFirstTokenMedianMs} ms over the time to first token`);
    console.log(`Send -> cached answer painted: median ${results.sendToPaintMedianMs} ms of ${SAMPLES} (min ${results.sendToPaintMinMs}, max ${results.sendToPaintMaxMs}), Chromium ${results.chromium}, offline`);
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
