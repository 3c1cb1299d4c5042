// The check the Atlas run's test makes of `cdk-fast-lex report --measured` on the figures that run wrote: every step
// measured beside its modelled figure, and each either within the stated factor or named as differing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main';
import { AGREEMENT_FLOOR_MS, MEASURED_FILE_NAME, readMeasuredLatencies, type LatencyReport } from '../../src/report';

/** Runs the report on `assemblyDir` with the measured file there and checks it; returns the printed report. */
export function expectMeasuredReportOfRun(assemblyDir: string, outDir: string): string {
  const measuredFile = join(assemblyDir, MEASURED_FILE_NAME);
  const measured = readMeasuredLatencies(measuredFile);
  const printed: string[] = [];

  const code = main(['report', assemblyDir, '--measured', measuredFile, '--out', outDir], (s) => printed.push(s));

  expect(code).toBe(0);
  const text = printed.join('');
  const report = JSON.parse(readFileSync(join(outDir, 'latency-report.json'), 'utf8')) as LatencyReport;
  const m = report.measured!;
  expect(text).toContain(`they agree when neither is more than ${m.factor}x the other`);
  // Every measured step is in the comparison, the workflow's Task states and its critical path among them.
  const measuredSteps = measured.paths.flatMap((p) => p.steps.map((s) => s.name));
  expect(m.rows.map((r) => r.step).sort()).toEqual([...measuredSteps].sort());
  expect(measuredSteps).toEqual(expect.arrayContaining(['Handler', 'CreateLead', 'GenerateScenario', 'InvokeOutboundCall', 'Critical path']));
  const workflow = report.paths.find((p) => p.kind === 'state-machine')!;
  expect(m.rows.find((r) => r.step === 'Critical path' && r.path === workflow.name)?.modelledMs).toBe(workflow.current.totalMs);
  for (const r of m.rows.filter((x) => x.modelledMs !== undefined)) {
    // The verdict, recomputed here from the two figures.
    const [a, b] = [Math.max(r.modelledMs!, AGREEMENT_FLOOR_MS), Math.max(r.measuredMs, AGREEMENT_FLOOR_MS)];
    const within = Math.max(a, b) / Math.min(a, b) <= m.factor;
    expect(r.withinFactor, `${r.step}: modelled ${r.modelledMs}, measured ${r.measuredMs}`).toBe(within);
    if (!within) expect(text).toMatch(new RegExp(`differ by more than ${m.factor}x: .*${escape(`${r.path}: ${r.step}`)}`));
  }
  return text;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
