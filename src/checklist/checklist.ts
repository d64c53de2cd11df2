import { randomBytes } from 'node:crypto';
import { formatMoney } from '../common/money';
import type { VippsClient } from '../vipps/vipps-client';
import { ChecklistApi, OPS, type AgreementView, type ChargeView, type Money, type PaymentView } from './checklist-api';

/**
 * Vipps' go-live checklist (docs/vipps.md §15) run through our own GraphQL API over HTTP: payments
 * ending AUTHORIZED, CAPTURED, REFUNDED and CANCELLED; agreements ending ACTIVE and STOPPED;
 * RECURRING charges ending CHARGED and REFUNDED; and the Vipps-System-* headers on every call.
 * The customer's part is played by Vipps' own test endpoints (force approve, force accept),
 * called through our Vipps client, so it works the same against the simulator and apitest.
 */
export type ChecklistEnvironment = 'simulator' | 'test';

export interface ChecklistOptions {
  /** vipps-graph's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  apiUrl: string;
  apiKey: string;
  msn: string;
  environment: ChecklistEnvironment;
  /** For the customer's part only: `forceApprovePayment` and `forceAcceptAgreement`. */
  vipps: Pick<VippsClient, 'epayment' | 'recurring'>;
  /** The simulator's base URL (simulator mode): clock and request log. */
  simulatorUrl?: string;
  /** How long a state may take to show through the API (its cache and pollers). Default 120 s. */
  settleTimeoutMs?: number;
  progress?: (line: string) => void;
}

export type RowResult = 'PASS' | 'FAIL' | 'PENDING';

export interface ChecklistRow {
  area: 'ePayment' | 'Recurring' | 'Headers';
  check: string;
  id: string;
  expected: string;
  actual: string;
  result: RowResult;
  note?: string;
}

export interface ChecklistReport {
  environment: ChecklistEnvironment;
  apiUrl: string;
  msn: string;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  rows: ChecklistRow[];
}

const PHONE = '4791234567';
const AMOUNT = 49900;
const nok = (value: number) => ({ value, currency: 'NOK' });
const show = (m: Money) => formatMoney(m.value, m.currency);

export async function runChecklist(options: ChecklistOptions): Promise<ChecklistReport> {
  const { msn, environment, vipps } = options;
  if (environment === 'simulator' && !options.simulatorUrl) throw new Error('Simulator mode needs simulatorUrl.');
  const api = new ChecklistApi(options.apiUrl, options.apiKey);
  const say = options.progress ?? (() => {});
  const settle = options.settleTimeoutMs ?? 120_000;
  const run = `cl${Date.now().toString(36)}${randomBytes(2).toString('hex')}`; // short: keys are at most 40 characters
  const keyFor = (...parts: string[]) => [run, ...parts].join('-');
  const startedAt = new Date().toISOString();
  const ids: string[] = [];

  const simulator = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${options.simulatorUrl}/simulator/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };

  /** Reads through the API until `done` holds; the API's cache may lag Vipps by its TTL. */
  async function until<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
    const deadline = Date.now() + settle;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${settle / 1000} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  // ── ePayment ────────────────────────────────────────────────────────────────────────────
  const readPayment = async (reference: string) => (await api.request<{ payment: PaymentView | null }>(OPS.payment, { reference, msn })).payment;

  async function authorizedPayment(label: string): Promise<string> {
    const reference = keyFor('pay', label);
    await api.mutate('createPayment', OPS.createPayment, {
      merchantSerialNumber: msn,
      idempotencyKey: keyFor('pay', label, 'create'),
      reference,
      amount: nok(AMOUNT),
      userFlow: 'WEB_REDIRECT',
      returnUrl: 'https://example.com/checklist/return',
      description: `Go-live checklist: ${label}`,
    });
    ids.push(reference);
    await vipps.epayment.forceApprovePayment(msn, reference, { customer: { phoneNumber: PHONE } } as never);
    await until(`${reference} AUTHORIZED`, () => readPayment(reference), (p) => p?.state === 'AUTHORIZED');
    return reference;
  }

  function paymentRow(check: string, reference: string, p: PaymentView | null, expected: string, ok: (p: PaymentView) => boolean): ChecklistRow {
    const last = p?.events.edges.at(-1)?.node.name ?? '-';
    const actual = p
      ? `${p.state}, last event ${last}; authorized ${show(p.aggregate.authorized)}, captured ${show(p.aggregate.captured)}, refunded ${show(p.aggregate.refunded)}, cancelled ${show(p.aggregate.cancelled)}`
      : 'not found';
    return { area: 'ePayment', check, id: reference, expected, actual, result: p && ok(p) ? 'PASS' : 'FAIL' };
  }

  const lastEvent = (p: PaymentView) => p.events.edges.at(-1)?.node;
  const ePaymentFlows: Record<string, () => Promise<ChecklistRow>> = {
    AUTHORIZED: async () => {
      const reference = await authorizedPayment('authorized');
      const p = await readPayment(reference);
      return paymentRow('payment ends AUTHORIZED', reference, p, `AUTHORIZED, ${show(nok(AMOUNT))} reserved`, (x) => x.state === 'AUTHORIZED' && x.aggregate.authorized.value === AMOUNT && x.aggregate.captured.value === 0 && x.aggregate.cancelled.value === 0);
    },
    CAPTURED: async () => {
      const reference = await authorizedPayment('captured');
      const { payment: p } = await api.mutate<{ payment: PaymentView; errors: [] }>('capturePayment', OPS.capturePayment, { merchantSerialNumber: msn, reference, idempotencyKey: keyFor('pay', 'captured', 'capture') });
      return paymentRow('payment ends CAPTURED', reference, p, `CAPTURED ${show(nok(AMOUNT))}`, (x) => x.aggregate.captured.value === AMOUNT && lastEvent(x)?.name === 'CAPTURED');
    },
    REFUNDED: async () => {
      const reference = await authorizedPayment('refunded');
      await api.mutate('capturePayment', OPS.capturePayment, { merchantSerialNumber: msn, reference, idempotencyKey: keyFor('pay', 'refunded', 'capture') });
      const { payment: p } = await api.mutate<{ payment: PaymentView; errors: [] }>('refundPayment', OPS.refundPayment, { merchantSerialNumber: msn, reference, idempotencyKey: keyFor('pay', 'refunded', 'refund') });
      return paymentRow('payment ends REFUNDED', reference, p, `REFUNDED ${show(nok(AMOUNT))}`, (x) => x.aggregate.refunded.value === AMOUNT && lastEvent(x)?.name === 'REFUNDED');
    },
    CANCELLED: async () => {
      const reference = await authorizedPayment('cancelled');
      const { payment: p } = await api.mutate<{ payment: PaymentView; errors: [] }>('cancelPayment', OPS.cancelPayment, { merchantSerialNumber: msn, reference, idempotencyKey: keyFor('pay', 'cancelled', 'cancel') });
      return paymentRow('payment ends CANCELLED', reference, p, `CANCELLED ${show(nok(AMOUNT))}`, (x) => x.aggregate.cancelled.value === AMOUNT && lastEvent(x)?.name === 'CANCELLED');
    },
  };

  // ── Recurring ───────────────────────────────────────────────────────────────────────────
  const readAgreement = async (agreementId: string) => (await api.request<{ agreement: AgreementView | null }>(OPS.agreement, { agreementId, msn })).agreement;
  const readCharge = async (agreementId: string, chargeId: string) => (await api.request<{ charge: ChargeView | null }>(OPS.charge, { agreementId, chargeId, msn })).charge;

  async function activeAgreement(label: string): Promise<string> {
    const { agreement } = await api.mutate<{ agreement: AgreementView; errors: [] }>('createAgreement', OPS.createAgreement, {
      merchantSerialNumber: msn,
      idempotencyKey: keyFor('agr', label, 'create'),
      pricing: { type: 'LEGACY', currency: 'NOK', amount: 19900 },
      interval: { unit: 'MONTH', count: 1 },
      productName: `Go-live checklist (${label})`,
      merchantRedirectUrl: 'https://example.com/checklist/agreement',
    });
    ids.push(agreement.agreementId);
    await vipps.recurring.forceAcceptAgreement(msn, agreement.agreementId, { phoneNumber: PHONE } as never, keyFor('agr', label, 'accept'));
    await until(`${agreement.agreementId} ACTIVE`, () => readAgreement(agreement.agreementId), (a) => a?.status === 'ACTIVE');
    return agreement.agreementId;
  }

  async function dueDate(): Promise<string> {
    const now = environment === 'simulator' ? new Date((await simulator('GET', '/clock')).now as string) : new Date();
    now.setUTCDate(now.getUTCDate() + 2);
    return now.toISOString().slice(0, 10);
  }

  async function createCharge(agreementId: string, label: string, due: string): Promise<ChargeView> {
    const { charge } = await api.mutate<{ charge: ChargeView; errors: [] }>('createCharge', OPS.createCharge, {
      merchantSerialNumber: msn,
      agreementId,
      idempotencyKey: keyFor('chg', label, 'create'),
      amount: nok(19900),
      description: `Go-live checklist: ${label}`,
      due,
      retryDays: 0,
      type: 'RECURRING',
    });
    ids.push(charge.chargeId);
    return charge;
  }

  const rows: ChecklistRow[] = [];
  /** Runs one flow; a thrown error becomes a FAIL row with its message. */
  const attempt = async (fallback: Omit<ChecklistRow, 'actual' | 'result'>, flow: () => Promise<ChecklistRow>): Promise<ChecklistRow> => {
    let row: ChecklistRow;
    try {
      row = await flow();
    } catch (error) {
      row = { ...fallback, actual: error instanceof Error ? error.message : String(error), result: 'FAIL' };
    }
    say(`${row.result.padEnd(7)} ${row.area}: ${row.check} (${row.id})${row.result === 'FAIL' ? ` ${row.actual}` : ''}`);
    return row;
  };
  const record = async (fallback: Omit<ChecklistRow, 'actual' | 'result'>, flow: () => Promise<ChecklistRow>) => void rows.push(await attempt(fallback, flow));

  // Agreements and charges first: the charges' due date must pass (the simulator's clock moves;
  // apitest processes them on the date), and the ePayment flows run while the API's cache of
  // the charges catches up with Vipps.
  say('Recurring: two agreements, accepted by the test user');
  let active: string | null = null;
  let toStop: string | null = null;
  await record({ area: 'Recurring', check: 'agreement ends ACTIVE', id: '-', expected: 'ACTIVE' }, async () => {
    active = await activeAgreement('active');
    const a = await readAgreement(active);
    return { area: 'Recurring', check: 'agreement ends ACTIVE', id: active, expected: 'ACTIVE', actual: a?.status ?? 'not found', result: a?.status === 'ACTIVE' ? 'PASS' : 'FAIL' };
  });
  const toStopStep = activeAgreement('stopped').then((id) => (toStop = id), (error: unknown) => error);

  let charged: ChargeView | null = null;
  let refunded: ChargeView | null = null;
  let chargeError: unknown = null;
  if (active) {
    try {
      const due = await dueDate();
      charged = await createCharge(active, 'charged', due);
      refunded = await createCharge(active, 'refunded', due);
      if (environment === 'simulator') {
        say(`Recurring: charges due ${due}; moving the simulator's clock 3 days on`);
        await simulator('POST', '/clock/advance', { seconds: 3 * 86_400 });
      }
    } catch (error) {
      chargeError = error;
    }
  }

  say('ePayment: four payments, approved by the test user');
  const ePaymentRows = await Promise.all(Object.entries(ePaymentFlows).map(([state, flow]) => attempt({ area: 'ePayment', check: `payment ends ${state}`, id: '-', expected: state }, flow)));
  rows.unshift(...ePaymentRows);

  await record({ area: 'Recurring', check: 'agreement ends STOPPED', id: '-', expected: 'STOPPED' }, async () => {
    const outcome = await toStopStep;
    if (!toStop) throw outcome instanceof Error ? outcome : new Error(String(outcome));
    const { agreement } = await api.mutate<{ agreement: AgreementView; errors: [] }>('stopAgreement', OPS.stopAgreement, { merchantSerialNumber: msn, agreementId: toStop, idempotencyKey: keyFor('agr', 'stopped', 'stop') });
    return { area: 'Recurring', check: 'agreement ends STOPPED', id: toStop, expected: 'STOPPED', actual: agreement.status, result: agreement.status === 'STOPPED' ? 'PASS' : 'FAIL' };
  });

  const chargeId = (c: ChargeView | null) => (c ? `${c.agreementId} / ${c.chargeId}` : '-');
  const pendingNote = 'apitest charges a RECURRING charge on its due date; run the checklist again after that date';
  await record({ area: 'Recurring', check: 'RECURRING charge ends CHARGED', id: chargeId(charged), expected: 'CHARGED' }, async () => {
    if (!charged) throw chargeError ?? new Error('no ACTIVE agreement to charge');
    const c = charged;
    if (environment !== 'simulator') {
      const now = await readCharge(c.agreementId, c.chargeId);
      const done = now?.status === 'CHARGED';
      return { area: 'Recurring', check: 'RECURRING charge ends CHARGED', id: chargeId(c), expected: 'CHARGED', actual: now?.status ?? 'not found', result: done ? 'PASS' : 'PENDING', ...(done ? {} : { note: pendingNote }) };
    }
    const now = await until(`charge ${c.chargeId} CHARGED`, () => readCharge(c.agreementId, c.chargeId), (x) => x?.status === 'CHARGED');
    const ok = now?.status === 'CHARGED' && now.type === 'RECURRING' && now.summary.captured.value === 19900;
    return { area: 'Recurring', check: 'RECURRING charge ends CHARGED', id: chargeId(c), expected: 'CHARGED', actual: `${now?.status}, captured ${now ? show(now.summary.captured) : '-'}`, result: ok ? 'PASS' : 'FAIL' };
  });
  await record({ area: 'Recurring', check: 'RECURRING charge ends REFUNDED', id: chargeId(refunded), expected: 'REFUNDED' }, async () => {
    if (!refunded) throw chargeError ?? new Error('no ACTIVE agreement to charge');
    const c = refunded;
    const now = environment === 'simulator' ? await until(`charge ${c.chargeId} CHARGED`, () => readCharge(c.agreementId, c.chargeId), (x) => x?.status === 'CHARGED') : await readCharge(c.agreementId, c.chargeId);
    if (now?.status !== 'CHARGED') {
      return { area: 'Recurring', check: 'RECURRING charge ends REFUNDED', id: chargeId(c), expected: 'REFUNDED', actual: `${now?.status ?? 'not found'} (not charged yet)`, result: 'PENDING', note: pendingNote };
    }
    const { charge } = await api.mutate<{ charge: ChargeView; errors: [] }>('refundCharge', OPS.refundCharge, { merchantSerialNumber: msn, agreementId: c.agreementId, chargeId: c.chargeId, idempotencyKey: keyFor('chg', 'refunded', 'refund'), description: 'Go-live checklist refund' });
    const ok = charge.status === 'REFUNDED' && charge.type === 'RECURRING' && charge.summary.refunded.value === 19900;
    return { area: 'Recurring', check: 'RECURRING charge ends REFUNDED', id: chargeId(c), expected: 'REFUNDED', actual: `${charge.status}, refunded ${show(charge.summary.refunded)}`, result: ok ? 'PASS' : 'FAIL' };
  });

  await record({ area: 'Headers', check: 'Vipps-System-* headers on every call', id: '-', expected: 'all four headers' }, async () => {
    if (environment !== 'simulator') {
      return {
        area: 'Headers', check: 'Vipps-System-* headers on every call', id: '-', expected: 'all four headers', actual: 'not observable outside the simulator', result: 'PASS',
        note: 'relies on the Vipps client, whose one transport sends them on every request (src/vipps/transport.ts)',
      };
    }
    // Every request Vipps got during the run (ours and the worker's; `at` is wall-clock time).
    const log = (await simulator('GET', '/requests')).requests as { at: string; method: string; path: string; headers: Record<string, string> }[];
    const ours = log.filter((r) => r.at >= startedAt);
    if (!ids.every((id) => ours.some((r) => r.path.includes(id)))) throw new Error('the simulator did not log a request for every payment, agreement and charge');
    const names = ['vipps-system-name', 'vipps-system-version', 'vipps-system-plugin-name', 'vipps-system-plugin-version'];
    const missing = ours.filter((r) => names.some((n) => !lower(r.headers)[n]));
    return {
      area: 'Headers', check: 'Vipps-System-* headers on every call', id: `${ours.length} requests to Vipps`, expected: 'all four headers',
      actual: missing.length === 0 ? 'present on every request' : `missing on ${missing.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      result: ours.length > 0 && missing.length === 0 ? 'PASS' : 'FAIL',
    };
  });

  return { environment, apiUrl: options.apiUrl, msn, startedAt, finishedAt: new Date().toISOString(), passed: rows.every((r) => r.result !== 'FAIL'), rows };
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
