import type { ChecklistReport } from './checklist';

/** The report as a plain-text table, one row per check, with notes under it. */
export function renderTable(report: ChecklistReport): string {
  const header = ['Area', 'Check', 'Reference / id', 'Final state', 'Result'];
  const body = report.rows.map((r) => [r.area, r.check, r.id, r.actual, r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const notes = report.rows.filter((r) => r.note).map((r) => `${r.result} ${r.check}: ${r.note}`);
  const failed = report.rows.filter((r) => r.result === 'FAIL').length;
  const pending = report.rows.filter((r) => r.result === 'PENDING').length;
  const summary = report.passed
    ? `All ${report.rows.length - pending} checks passed${pending ? `; ${pending} pending (see notes)` : ''} (VIPPS_ENV=${report.environment}, merchant ${report.msn}).`
    : `${failed} of ${report.rows.length} checks FAILED (VIPPS_ENV=${report.environment}, merchant ${report.msn}).`;
  return [line(header), rule, ...body.map(line), '', ...notes.map((n) => `Note: ${n}`), summary].join('\n');
}
