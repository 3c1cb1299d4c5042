// Draws the critical paths of a latency report as an SVG: one bar per step, parallel branches stacked side by side
// over the same span of time, the current design above the alternative on the same scale, a time axis under each
// path, a legend, and (given measurements) measured beside modelled bars, step by step.
import type { StepComparison } from './measured';
import { LatencyReport, Segment, segmentsMs } from './report';

const WIDTH = 1000;
const LABEL = 110;
const RIGHT = 90;
const BAR = 18;
const ROW = 22;
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Fixed colours for the steps every path has, so the current and alternative bars read alike. */
const KNOWN: Record<string, string> = {
  'Lex NLU': '#4e79a7', 'Lex response': '#4e79a7', 'Cold start': '#e15759', 'Secrets Manager': '#f28e2b',
  'DynamoDB read': '#76b7b2', 'DynamoDB write': '#76b7b2', 'Bedrock': '#59a14f', 'Connect outbound call': '#edc948',
  'Other AWS calls': '#bab0ac', 'Compute': '#9c755f',
};

function colour(name: string): string {
  if (KNOWN[name]) return KNOWN[name];
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Lays out a sequence from `x`, appending shapes; returns how many rows it used. */
function draw(out: string[], segments: Segment[], x: number, y: number, scale: number): number {
  let cursor = x;
  let rowsUsed = 1;
  for (const s of segments) {
    if (s.kind === 'step') {
      const w = Math.max(s.step.ms * scale, 1);
      const label = `${s.step.name}: ${Math.round(s.step.ms)} ms${s.step.detail ? ` (${s.step.detail})` : ''}`;
      out.push(`<rect class="step" x="${cursor.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${colour(s.step.name)}">` +
        `<title>${xmlEscape(label)}</title></rect>`);
      if (w > 70) {
        out.push(`<text x="${(cursor + 3).toFixed(1)}" y="${y + 13}" font-size="10" fill="#fff">${xmlEscape(truncate(s.step.name, Math.floor(w / 6)))}</text>`);
      }
      cursor += s.step.ms * scale;
    } else {
      let row = 0;
      for (const branch of s.branches) row += draw(out, branch, cursor, y + row * ROW, scale);
      out.push(`<rect class="parallel" x="${cursor.toFixed(1)}" y="${y - 2}" width="${Math.max(s.ms * scale, 1).toFixed(1)}" ` +
        `height="${row * ROW}" fill="none" stroke="#555" stroke-dasharray="3,2"><title>${xmlEscape(`${s.name}: parallel, ${Math.round(s.ms)} ms`)}</title></rect>`);
      rowsUsed = Math.max(rowsUsed, row);
      cursor += s.ms * scale;
    }
  }
  return rowsUsed;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, Math.max(n - 1, 1)) + '…';
}

/** A round tick step for an axis of `max` ms: 1, 2 or 5 times a power of ten, about five ticks. */
export function tickStep(max: number): number {
  const raw = Math.max(max, 1) / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((t) => t >= raw) ?? 10 * pow;
}

function msLabel(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${+ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

/** A time axis from 0 to `max` ms at `scale` px/ms, with its ticks and labels; returns its height. */
function axis(out: string[], y: number, max: number, scale: number): number {
  const step = tickStep(max);
  out.push(`<g class="axis"><line x1="${LABEL}" y1="${y}" x2="${(LABEL + max * scale).toFixed(1)}" y2="${y}" stroke="#333"/>`);
  for (let t = 0; t <= max + 1e-9; t += step) {
    const x = (LABEL + t * scale).toFixed(1);
    out.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" stroke="#333"/><text x="${x}" y="${y + 14}" font-size="9" text-anchor="middle">${msLabel(t)}</text>`);
  }
  out.push('</g>');
  return 22;
}

/** Room right of the comparison bars for "modelled / measured, verdict". */
const COMPARISON_RIGHT = 200;
const MODELLED = '#9aa5b1';
const MEASURED = '#1f5f99';
const DIFFERS = '#c0392b';

/** Modelled beside measured, one pair of bars per compared step, on their own scale and axis; returns the new y. */
function comparison(out: string[], rows: StepComparison[], factor: number, y: number): number {
  const plot = WIDTH - LABEL - COMPARISON_RIGHT;
  const max = Math.max(1, ...rows.flatMap((r) => [r.measuredMs, r.modelledMs ?? 0]));
  const scale = plot / max;
  out.push(`<text x="8" y="${y + 10}" font-size="11" font-style="italic">measured beside modelled (agree within ${factor}x)</text>`);
  y += 16;
  for (const r of rows) {
    const flagged = r.withinFactor === false;
    out.push(`<text x="8" y="${y + 10}" font-size="10"${flagged ? ` fill="${DIFFERS}"` : ''}>${xmlEscape(truncate(r.step, 17))}</text>`);
    if (r.modelledMs !== undefined) {
      out.push(`<rect class="modelled" x="${LABEL}" y="${y}" width="${Math.max(r.modelledMs * scale, 1).toFixed(1)}" height="7" fill="${MODELLED}">`
        + `<title>${xmlEscape(`${r.step}: modelled ${msLabel(r.modelledMs)}`)}</title></rect>`);
    }
    out.push(`<rect class="measured" x="${LABEL}" y="${y + 8}" width="${Math.max(r.measuredMs * scale, 1).toFixed(1)}" height="7" fill="${MEASURED}">`
      + `<title>${xmlEscape(`${r.step}: measured ${msLabel(r.measuredMs)} (${r.samples} samples)`)}</title></rect>`);
    const end = LABEL + Math.max(r.measuredMs, r.modelledMs ?? 0) * scale;
    const verdict = r.ratio === undefined ? 'not modelled' : flagged ? `differs ${r.ratio.toFixed(1)}x` : `${r.ratio.toFixed(1)}x`;
    out.push(`<text x="${(end + 4).toFixed(1)}" y="${y + 12}" font-size="9"${flagged ? ` fill="${DIFFERS}"` : ''}>`
      + `${xmlEscape(`${r.modelledMs === undefined ? '-' : msLabel(r.modelledMs)} / ${msLabel(r.measuredMs)}, ${verdict}`)}</text>`);
    y += 20;
  }
  return y + axis(out, y, max, scale);
}

/** The legend: the step colours the chart uses, and the modelled / measured bars. */
function legend(out: string[], report: LatencyReport): number {
  const used = new Set(report.paths.flatMap((p) => [p.current, p.alternative]).flatMap((v) => leaves(v.segments)));
  const entries: Array<[string, string]> = Object.entries(KNOWN).filter(([name]) => used.has(name)).map(([name, c]) => [name, c]);
  if (report.measured) entries.push(['modelled', MODELLED], ['measured', MEASURED]);
  entries.push(['other steps (by name)', PALETTE[0]]);
  out.push('<g class="legend">');
  let x = 8;
  let y = 8;
  for (const [name, c] of entries) {
    const w = 16 + name.length * 6;
    if (x + w > WIDTH - 8) { x = 8; y += 16; }
    out.push(`<rect x="${x}" y="${y}" width="10" height="10" fill="${c}"/><text x="${x + 14}" y="${y + 9}" font-size="10">${xmlEscape(name)}</text>`);
    x += w + 10;
  }
  out.push('</g>');
  return y + 24;
}

function leaves(segments: Segment[]): string[] {
  return segments.flatMap((s) => (s.kind === 'step' ? [s.step.name] : s.branches.flatMap(leaves)));
}

/** The chart of every path of the report. */
export function renderSvg(report: LatencyReport): string {
  const body: string[] = [];
  let y = legend(body, report) + 14;
  const plot = WIDTH - LABEL - RIGHT;
  for (const p of report.paths) {
    body.push(`<text x="8" y="${y}" font-size="13" font-weight="bold">${xmlEscape(p.name)}</text>`);
    y += 12;
    const longest = Math.max(p.current.totalMs, p.alternative.totalMs, 1);
    const scale = plot / longest;
    for (const [label, v] of [['current', p.current], ['alternative', p.alternative]] as const) {
      const shapes: string[] = [];
      const rows = draw(shapes, v.segments, LABEL, y, scale);
      body.push(`<g class="${label}">`);
      body.push(`<text x="8" y="${y + 13}" font-size="11">${label}</text>`);
      body.push(...shapes);
      const end = LABEL + segmentsMs(v.segments) * scale;
      body.push(`<text x="${(end + 4).toFixed(1)}" y="${y + 13}" font-size="11">${Math.round(v.totalMs)} ms</text>`);
      body.push('</g>');
      y += rows * ROW + 6;
    }
    y += axis(body, y, longest, scale);
    const compared = report.measured?.rows.filter((r) => r.path === p.name) ?? [];
    if (report.measured && compared.length > 0) y = comparison(body, compared, report.measured.factor, y + 4);
    y += 18;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif">`,
    `<title>${xmlEscape(`Critical paths of ${report.assembly}`)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${y}" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
