import { randomBytes, randomUUID } from 'node:crypto';
import { webhooksProblem } from '../problems';
import { KNOWN_EVENTS } from './simulated-webhook-events';

/** [now] limit; the spec text still says 5 (docs/vipps.md §11). */
export const MAX_REGISTRATIONS_PER_EVENT = 25;

export interface Registration {
  id: string;
  msn: string;
  url: string;
  events: string[];
  secret: string;
}

/** Webhook registrations of every merchant, each visible only to its own MSN. */
export class WebhookRegistry {
  private readonly byId = new Map<string, Registration>();

  register(msn: string, body: unknown): Registration {
    const { url, events } = parseRegisterRequest(body);
    for (const event of events) {
      const count = this.forMsn(msn).filter((r) => r.events.includes(event)).length;
      if (count >= MAX_REGISTRATIONS_PER_EVENT) {
        throw invalid(`At most ${MAX_REGISTRATIONS_PER_EVENT} webhooks can be registered per event; ${event} has ${count}.`);
      }
    }
    // 64 random bytes in base64, like the long secrets Vipps returns; receivers must treat it as opaque text.
    const registration: Registration = { id: randomUUID(), msn, url, events, secret: randomBytes(64).toString('base64') };
    this.byId.set(registration.id, registration);
    return registration;
  }

  forMsn(msn: string): Registration[] {
    return [...this.byId.values()].filter((r) => r.msn === msn);
  }

  /** Registrations of `msn` that subscribe to `event`, in registration order. */
  subscribers(msn: string, event: string): Registration[] {
    return this.forMsn(msn).filter((r) => r.events.includes(event));
  }

  /** Deletes the caller's registration; another merchant's id is as unknown as a made-up one. */
  delete(msn: string, id: string): Registration {
    const registration = this.byId.get(id.toLowerCase());
    if (!registration || registration.msn !== msn) {
      throw webhooksProblem(404, 'Not Found', `No webhook with id ${id} is registered for this merchant.`);
    }
    this.byId.delete(registration.id);
    return registration;
  }

  clear(): void {
    this.byId.clear();
  }
}

function parseRegisterRequest(body: unknown): { url: string; events: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('The request body must be a JSON object with url and events.');
  const { url, events, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw invalid(`Unknown properties: ${unknown.join(', ')}.`);
  if (typeof url !== 'string' || !isHttpUrl(url)) throw invalid('url: The property must be an absolute http(s) URL.');
  if (!Array.isArray(events) || events.length === 0) throw invalid('events: The property is required and cannot be null or empty.');
  for (const event of events) {
    if (typeof event !== 'string' || !KNOWN_EVENTS.has(event)) throw invalid(`events: Unknown event ${JSON.stringify(event)}.`);
  }
  return { url, events: [...new Set(events as string[])] };
}

/**
 * Vipps demands a public HTTPS URL on a common port. The simulator also accepts `http://` (and any
 * host and port) so it can deliver to an API running locally or in a test.
 */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function invalid(reason: string) {
  return webhooksProblem(400, 'Bad Request', reason, reason);
}
