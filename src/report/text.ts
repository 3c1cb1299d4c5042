// The report as a text table.
import { RULES } from '../checks/rules';
import type { LatencyReport, Segment } from './report';

export function round(ms: number): string {
  return (Math.round(ms * 10) / 10).toString();
}

export function pct(p: number): string {
  return `${Math.round(p * 1000) / 10} %`;
}

export function rows(segments: Segment[], indent = ''): Array<[string, number, string]> {
  return segments.flatMap((s): Array<[string, number, string]> => {
    if (s.kind === 'step') return [[indent + s.step.name, s.step.ms, s.step.detail]];
    return [
      [`${indent}${s.name} (parallel: longest branch)`, s.ms, ''],
      ...s.branches.flatMap((b, i) => rows(b, `${indent}  [${i + 1}] `)),
    ];
  });
}

/** The report as a text table. */
export function renderText(report: LatencyReport): string {
  const out: string[] = [];
  const money = (n: number) => `$${n.toFixed(2)}`;
  const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
  const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
  out.push(`cdk-fast-lex latency/cost report of ${report.assembly}`);
  out.push(`Load: ${report.load.lexTurnsPerMonth} Lex turns/month per bot alias, ${report.load.workflowExecutionsPerMonth} executions/month per state machine.`);
  out.push('Estimates from the latency model (figures and sources in the JSON output); alternative = with the LatencyChecks fixes.');
  for (const p of report.paths) {
    out.push('', `${p.kind === 'lex-code-hook' ? 'Lex code hook' : 'State machine'} ${p.name}`);
    for (const [label, variant] of [['current', p.current], ['alternative', p.alternative]] as const) {
      out.push(`  ${label}:`);
      for (const [name, ms, detail] of rows(variant.segments)) out.push(`    ${pad(name, 46)} ${lpad(round(ms), 9)} ms  ${detail}`);
      out.push(`    ${pad('critical path', 46)} ${lpad(round(variant.totalMs), 9)} ms`);
      if (variant.afterCall?.length) {
        out.push('    after the call is placed (not on the critical path):');
        for (const [name, ms, detail] of rows(variant.afterCall)) out.push(`      ${pad(name, 44)} ${lpad(round(ms), 9)} ms  ${detail}`);
      }
      out.push(`    ${pad(`monthly cost (${p.monthlyLoad}/month)`, 46)} ${lpad(money(variant.monthlyUsd), 12)}`);
      for (const line of variant.costLines) out.push(`      ${line}`);
    }
    if (p.withSeedFigures) {
      out.push(`  with the seed's (the slow system's) figures: current ${round(p.withSeedFigures.totalMs)} ms, `
        + `alternative ${round(p.withSeedFigures.alternativeTotalMs)} ms`);
    }
    for (const n of p.notes) out.push(`  note: ${n}`);
  }
  if (report.measured) {
    const m = report.measured;
    out.push('', `Measured beside modelled (${m.source}${m.measuredAt ? `, ${m.measuredAt}` : ''}); they agree when neither is more than ${m.factor}x the other:`);
    for (const r of m.rows) {
      const verdict = r.ratio === undefined ? 'not modelled' : r.withinFactor ? `agree (${r.ratio.toFixed(1)}x)` : `DIFFER ${r.ratio.toFixed(1)}x`;
      out.push(`  ${pad(`${r.path}: ${r.step}`, 60)} modelled ${lpad(r.modelledMs === undefined ? '-' : round(r.modelledMs), 9)} ms  `
        + `measured ${lpad(round(r.measuredMs), 9)} ms (${r.samples})  ${verdict}`);
    }
    out.push(m.differing.length === 0 ? `  every step agrees within ${m.factor}x` : `  differ by more than ${m.factor}x: ${m.differing.join('; ')}`);
  }
  out.push('', 'LatencyChecks findings:');
  if (report.findings.length === 0) out.push('  none');
  for (const f of report.findings) {
    const title = RULES.find((r) => r.id === f.ruleId)?.title ?? '';
    out.push(`  ${pad(f.ruleId, 11)} ${pad(f.severity, 8)} ${f.stack}/${f.logicalId}: ${title}: ${f.message}` +
      (f.acknowledged ? ` [acknowledged: ${f.acknowledged}]` : ''));
  }
  return out.join('\n') + '\n';
}

