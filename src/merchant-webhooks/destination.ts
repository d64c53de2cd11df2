import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './address-policy';

/**
 * Where a merchant webhook may go (the SSRF guard, issue 14). Checked when an endpoint is
 * registered or changed, and again on every send against the addresses the name resolves to
 * then; the request is made to the address that was checked (see webhook-sender.ts), so a DNS
 * answer that changes between the check and the connect cannot redirect it.
 */
export interface DestinationPolicy {
  /** Plain http is allowed (simulator mode only: a developer's local receiver). */
  allowHttp: boolean;
  /** Loopback, private and other non-public addresses are allowed (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (as `dns.lookup(name, { all: true })`). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[];

/** A URL or address webhooks may not go to; the message is a sentence for the merchant. */
export class DestinationRefused extends Error {}

const MAX_URL_LENGTH = 2048;

/** The URL as it will be called, or `DestinationRefused` saying what is wrong with it. */
export function parseWebhookUrl(text: string, policy: DestinationPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DestinationRefused('The webhook URL is not a valid absolute URL.');
  }
  if (text.length > MAX_URL_LENGTH) throw new DestinationRefused(`The webhook URL is longer than ${MAX_URL_LENGTH} characters.`);
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    throw new DestinationRefused(policy.allowHttp ? 'The webhook URL must use http or https.' : 'The webhook URL must use https.');
  }
  // The URL is listed back to every key of the merchant and kept in the delivery log's context.
  if (url.username || url.password) throw new DestinationRefused('The webhook URL must not contain a user name or password.');
  const host = hostOf(url);
  if (!policy.allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && !isPublicAddress(host)))) {
    throw notPublic();
  }
  return url;
}

/**
 * The address to connect to for `url`: all of the host's addresses are checked (one private
 * answer among public ones is enough to refuse: a client may pick any of them), and the first
 * is returned.
 */
export async function resolveDestination(url: URL, policy: DestinationPolicy, lookup: HostLookup): Promise<ResolvedAddress> {
  const host = hostOf(url);
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal as 4 | 6 }];
  } else {
    try {
      addresses = await lookup(host);
    } catch {
      throw new DestinationRefused("The webhook URL's host name could not be resolved.");
    }
  }
  const first = addresses[0];
  if (!first) throw new DestinationRefused("The webhook URL's host name could not be resolved.");
  if (!policy.allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) throw notPublic();
  return first;
}

/** The host name or IP address without IPv6 brackets or the root's trailing dot (`localhost.`). */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

function notPublic(): DestinationRefused {
  return new DestinationRefused('The webhook URL points to a loopback, private or otherwise non-public address; webhooks are sent to public addresses only.');
}
