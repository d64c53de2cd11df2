import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether a webhook may be sent to an IP address: only globally routable unicast addresses, so a
 * merchant's URL cannot make the worker call our own loopback, the cloud metadata service
 * (169.254.169.254) or anything else on the private network (SSRF). Ranges from the IANA
 * special-purpose registries (RFC 6890 and its updates):
 * https://www.iana.org/assignments/iana-ipv4-special-registry and …/iana-ipv6-special-registry.
 */
export function isPublicAddress(address: string): boolean {
  if (isIPv4(address)) return isPublicIPv4(ipv4Number(address));
  if (isIPv6(address)) return isPublicIPv6(ipv6Groups(address));
  return false;
}

/** [first address, prefix length] of IPv4 ranges that are not public unicast. */
const NON_PUBLIC_IPV4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 reaches the local host on most systems
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const NON_PUBLIC_IPV4_MASKS = NON_PUBLIC_IPV4.map(([first, bits]) => ({ base: ipv4Number(first), mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0 }));

function isPublicIPv4(n: number): boolean {
  return NON_PUBLIC_IPV4_MASKS.every(({ base, mask }) => ((n & mask) >>> 0) !== base);
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/**
 * IPv6 is public only inside global unicast 2000::/3 (which leaves out ::, ::1, fc00::/7 unique
 * local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast), minus the special blocks
 * in it. Addresses that carry an IPv4 address (v4-mapped, NAT64, 6to4) are judged by that one.
 */
function isPublicIPv6(g: readonly number[]): boolean {
  const [g0 = 0, g1 = 0] = g;
  const embedded = (hi: number, lo: number) => isPublicIPv4(hi * 65536 + lo);
  if (g.slice(0, 5).every((x) => x === 0)) {
    // ::ffff:a.b.c.d is IPv4 reached through an IPv6 socket. The rest of ::/80 (::, ::1, the
    // deprecated v4-compatible ::a.b.c.d) is never a destination.
    return g[5] === 0xffff ? embedded(g[6] ?? 0, g[7] ?? 0) : false;
  }
  // 64:ff9b::/96 NAT64 translates to the embedded IPv4 address; the rest (64:ff9b:1::/48) is for local use.
  if (g0 === 0x64 && g1 === 0xff9b) return g.slice(2, 6).every((x) => x === 0) ? embedded(g[6] ?? 0, g[7] ?? 0) : false;
  if ((g0 & 0xe000) !== 0x2000) return false;
  // 2002::/16 6to4 carries the IPv4 address of the tunnel end in its next 32 bits.
  if (g0 === 0x2002) return embedded(g1, g[2] ?? 0);
  // 2001::/23 IETF protocol assignments (Teredo 2001::/32, ORCHID, benchmarking…) and 2001:db8::/32 documentation.
  if (g0 === 0x2001 && (g1 < 0x200 || g1 === 0xdb8)) return false;
  // 3fff::/20 documentation (RFC 9637).
  if (g0 === 0x3fff && g1 < 0x1000) return false;
  return true;
}

/** The eight 16-bit groups of a valid IPv6 address (zone ids and a dotted IPv4 tail allowed). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] as string;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4Number(dotted[1] as string);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
