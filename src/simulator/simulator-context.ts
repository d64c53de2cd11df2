import { randomInt } from 'node:crypto';
import type { MerchantConfig } from '../config/config';
import { SimClock } from './clock';
import type { Route } from './http';
import { IdempotencyStore } from './idempotency';

/** How the simulated user behaves (`PUT /simulator/v1/behaviour`). */
export interface SimBehaviour {
  /** After this many real milliseconds the user acts on a new payment or agreement; null = never. */
  autoApproveAfterMs: number | null;
  userAction: 'APPROVE' | 'REJECT' | 'NONE';
}

/** Injected failures (`PUT /simulator/v1/faults`); they apply to Vipps endpoints, never the control API. */
export interface SimFaults {
  errorRate: number;
  status: 500 | 503 | 429;
  latencyMs: number;
  dropWebhooks: boolean;
}

/** A webhook-worthy event, e.g. `epayments.payment.captured.v1` with its payload. */
export interface SimEvent {
  msn: string;
  name: string;
  payload: Record<string, unknown>;
}

/** One request as received, for the control API's request log (headers we check for go-live). */
export interface SimRequestRecord {
  at: string;
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
}

/** A piece of the simulator: its routes, plus hooks for time passing, reset and shutdown. */
export interface SimModule {
  routes: Route[];
  /** Apply everything that the clock has made due (expiry, due charges, deadlines, retries). */
  tick?(now: Date): void;
  reset?(): void;
  close?(): void;
}

/** What Vipps has enabled for a merchant (`PUT /simulator/v1/merchants/{msn}/settings`). */
export interface SimMerchantSettings {
  /** Free-standing card payments (`paymentMethod.type: CARD`); refused with 4160 when off. */
  cardPayments: boolean;
}

export const DEFAULT_MERCHANT_SETTINGS: SimMerchantSettings = { cardPayments: true };
export const DEFAULT_BEHAVIOUR: SimBehaviour = { autoApproveAfterMs: null, userAction: 'APPROVE' };
export const DEFAULT_FAULTS: SimFaults = { errorRate: 0, status: 500, latencyMs: 0, dropWebhooks: false };
const MAX_REQUEST_RECORDS = 10_000;

/** State shared by every simulator module. One instance per running simulator. */
export class SimContext {
  readonly clock = new SimClock();
  readonly idempotency = new IdempotencyStore();
  readonly merchants: ReadonlyMap<string, MerchantConfig>;
  behaviour: SimBehaviour = { ...DEFAULT_BEHAVIOUR };
  faults: SimFaults = { ...DEFAULT_FAULTS };
  readonly requests: SimRequestRecord[] = [];
  readonly merchantSettings = new Map<string, SimMerchantSettings>();
  /** Profile consents by OpenID `sub`: which merchant may read the user's info, and what (userinfo module). */
  readonly profiles = new Map<string, { msn: string; scope: string }>();
  private readonly listeners: ((event: SimEvent) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(merchants: readonly MerchantConfig[]) {
    this.merchants = new Map(merchants.map((m) => [m.msn, m]));
  }

  settingsOf(msn: string): SimMerchantSettings {
    return this.merchantSettings.get(msn) ?? DEFAULT_MERCHANT_SETTINGS;
  }

  /** Announce an event; the webhooks module delivers it to matching registrations. */
  publish(event: SimEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  onEvent(listener: (event: SimEvent) => void): void {
    this.listeners.push(listener);
  }

  /** A real-time timer (simulated user actions, webhook retries) cancelled on reset and close. */
  schedule(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  record(entry: SimRequestRecord): void {
    if (this.requests.length >= MAX_REQUEST_RECORDS) this.requests.shift();
    this.requests.push(entry);
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  reset(): void {
    this.cancelTimers();
    this.clock.reset();
    this.idempotency.clear();
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
    this.faults = { ...DEFAULT_FAULTS };
    this.merchantSettings.clear();
    this.profiles.clear();
    this.requests.length = 0;
  }
}

/** `length` random decimal digits, first one non-zero (pspReference style). */
export function randomDigits(length: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < length) digits += String(randomInt(0, 10));
  return digits;
}

/** `length` random characters of [A-Za-z0-9] (ids like `agr_XXXXXXX`). */
export function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  while (id.length < length) id += alphabet[randomInt(0, alphabet.length)];
  return id;
}
