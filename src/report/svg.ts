// Draws the critical paths of a latency report as an SVG: one bar per step, parallel branches stacked side by side
// over the same span of time, the current design above the alternative on the same scale.
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

/** The chart of every path of the report. */
export function renderSvg(report: LatencyReport): string {
  const body: string[] = [];
  let y = 30;
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
