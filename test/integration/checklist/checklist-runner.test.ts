import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checklistMain } from '../../../src/checklist/main';
import type { ChecklistReport } from '../../../src/checklist/checklist';
import { startTestApi, type TestApi } from '../../support/api';

/**
 * `npm run checklist` in-process against the test API and its simulator: every go-live flow
 * through /graphql over HTTP, the simulator's clock moved for the charges, the headers checked
 * in its request log, and the exit status, table and JSON report as a user would see them.
 * Slow by design: a charge's DUE status is cached for up to 60 s before the API reads CHARGED.
 */
describe('go-live checklist runner', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await startTestApi();
    dir = mkdtempSync(join(tmpdir(), 'checklist-'));
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every row against the simulator and exits 0', async () => {
    let output = '';
    const report = join(dir, 'report.json');
    const code = await checklistMain(['--api-url', `${api.url}/graphql`, '--api-key', 'dev', '--report', report], api.config, (text) => {
      output += text;
    });
    const json = JSON.parse(readFileSync(report, 'utf8')) as ChecklistReport;
    expect({ code, failed: json.rows.filter((r) => r.result !== 'PASS') }).toEqual({ code: 0, failed: [] });
    expect(json.rows.map((r) => `${r.area}: ${r.check}`)).toEqual([
      'ePayment: payment ends AUTHORIZED',
      'ePayment: payment ends CAPTURED',
      'ePayment: payment ends REFUNDED',
      'ePayment: payment ends CANCELLED',
      'Recurring: agreement ends ACTIVE',
      'Recurring: agreement ends STOPPED',
      'Recurring: RECURRING charge ends CHARGED',
      'Recurring: RECURRING charge ends REFUNDED',
      'Headers: Vipps-System-* headers on every call',
    ]);
    expect(json.passed).toBe(true);
    expect(output).toContain('All 9 checks passed');
    // What Vipps (the simulator) holds agrees with the table.
    const captured = json.rows[1]?.id as string;
    const vipps = await api.sim.call('GET', `/epayment/v1/payments/${captured}`);
    expect(vipps.body.aggregate.capturedAmount.value).toBe(49900);
  }, 180_000);

  it('exits 1 with a FAIL row when the API refuses the key', async () => {
    let output = '';
    const code = await checklistMain(['--api-url', `${api.url}/graphql`, '--api-key', 'wrong', '--report', join(dir, 'bad.json')], api.config, (text) => {
      output += text;
    });
    expect(code).toBe(1);
    expect(output).toMatch(/FAIL/);
  }, 60_000);
});
