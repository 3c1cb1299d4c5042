// Measures what reading the intents configuration costs at init: from a layer file (what CachedLexFulfillment
// deploys) against from the environment (what it deployed before), for a 50-intent bot with 500-character prompts.
// Each run is a new Node process (a cold start); prints the median and p90 of the read-and-parse time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 21;
const intents = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Question${i}Intent`, {
  staticAnswer: `Here is what I know about topic ${i}.`, prompt: 'x'.repeat(500), system: 'Answer in two sentences.',
}]));
const json = JSON.stringify(intents);
const file = join(mkdtempSync(join(tmpdir(), 'fast-lex-measure-')), 'intents.json');
writeFileSync(file, json);

const probes = {
  layerFile: "const t=process.hrtime.bigint();const c=JSON.parse(require('node:fs').readFileSync(process.env.FAST_LEX_INTENTS_FILE,'utf8'));process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)+' '+Object.keys(c).length)",
  environment: "const t=process.hrtime.bigint();const c=JSON.parse(process.env.FAST_LEX_INTENTS);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)+' '+Object.keys(c).length)",
};

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

console.log(`intents configuration: ${json.length} bytes (Lambda's environment holds 4096 in all)`);
for (const [name, code] of Object.entries(probes)) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['-e', code], { env: { FAST_LEX_INTENTS_FILE: file, FAST_LEX_INTENTS: json }, encoding: 'utf8' });
    const [ms, count] = out.split(' ').map(Number);
    if (count !== 50) throw new Error(`${name} read ${count} intents`);
    times.push(ms);
  }
  console.log(`${name}: median ${quantile(times, 0.5).toFixed(3)} ms, p90 ${quantile(times, 0.9).toFixed(3)} ms over ${RUNS} cold processes`);
}
