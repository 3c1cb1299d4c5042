// Builds the report of a cloud assembly and writes its three files: the text table, the JSON figures, the SVG chart.
import * as fs from 'fs';
import * as path from 'path';
import { buildReport, LatencyReport, renderText, ReportOptions } from './report';
import { renderSvg } from './svg';

/** Where `writeReport` put its files. */
export interface WrittenReport {
  readonly report: LatencyReport;
  readonly text: string;
  readonly files: { readonly text: string; readonly json: string; readonly svg: string };
}

/** Builds the report of `assemblyDir` and writes `latency-report.{txt,json,svg}` into `outDir`. */
export function writeReport(assemblyDir: string, outDir: string, options: ReportOptions = {}): WrittenReport {
  const report = buildReport(assemblyDir, options);
  const text = renderText(report);
  fs.mkdirSync(outDir, { recursive: true });
  const files = {
    text: path.join(outDir, 'latency-report.txt'),
    json: path.join(outDir, 'latency-report.json'),
    svg: path.join(outDir, 'latency-report.svg'),
  };
  fs.writeFileSync(files.text, text);
  fs.writeFileSync(files.json, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(files.svg, renderSvg(report));
  return { report, text, files };
}
