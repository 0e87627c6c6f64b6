// Keeps links that other maintainers added from steering this device into its own network: a
// dispatcher for fetch that checks the address it is about to connect to, on every connection
// (so every redirect hop), after DNS has answered (so a name that re-resolves between a check and
// the connection gains nothing). See "Links from others never reach the local network" in
// docs/decisions.md for the threat model.
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { FetchError } from './safe-fetch';

/** What kind of place an address is; everything but 'public' counts as the local network. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'shared'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** The ranges, most specific first (the metadata address sits inside link-local). */
const IPV4_RANGES: readonly [string, number, AddressKind][] = [
  ['169.254.169.254', 32, 'metadata'],
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['169.254.0.0', 16, 'link-local'],
  ['100.64.0.0', 10, 'shared'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** IPv6 ranges that embed an IPv4 address are not here: embeddedIpv4 unwraps them first. */
const IPV6_RANGES: readonly [string, number, AddressKind][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fd00:ec2::254', 128, 'metadata'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
];

/** One BlockList per range, asked in the order above so the most specific kind wins. */
const RANGES: readonly { list: BlockList; kind: AddressKind; family: 'ipv4' | 'ipv6' }[] = [
  ...IPV4_RANGES.map((range) => ({ range, family: 'ipv4' as const })),
  ...IPV6_RANGES.map((range) => ({ range, family: 'ipv6' as const })),
].map(({ range: [network, prefix, kind], family }) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, kind, family };
});

/** The 16 bytes of an IPv6 address (which isIP has already accepted). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.split('%', 1)[0]!.toLowerCase();
  const bytes = new Uint8Array(16);
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/**
 * The IPv4 address an IPv6 address carries, where the network would deliver to it: mapped
 * (::ffff:a.b.c.d), the deprecated compatible form (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4
 * (2002:AABB:CCDD::/48).
 */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  if (zeros(0, 12) && !zeros(12, 14)) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) {
    return v4(12);
  }
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return null;
}

/** What kind of place `address` (a literal IPv4 or IPv6 address, brackets allowed) is. */
export function classifyAddress(address: string): AddressKind {
  const literal = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(literal);
  if (family === 0) throw new TypeError(`${address} is not an IP address.`);
  if (family === 6) {
    const inner = embeddedIpv4(literal);
    if (inner) return classifyAddress(inner);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const range = RANGES.find((r) => r.family === type && r.list.check(literal, type));
  return range?.kind ?? 'public';
}

const KIND_NAMES: Record<Exclude<AddressKind, 'public'>, string> = {
  loopback: 'this computer (a loopback address)',
  private: 'a private network address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  unspecified: 'an unspecified address',
  shared: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};

/** Refused because a link from someone else led to the local network. The name crosses transports. */
export class LocalAddressError extends FetchError {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressKind: Exclude<AddressKind, 'public'>,
  ) {
    const where = host === address ? address : `${host} (${address})`;
    super(
      'Network',
      `Did not fetch ${where}: it is ${KIND_NAMES[addressKind]}, and links added by others may ` +
        'not reach this device or its network. To allow it, turn on "Allow local network ' +
        'addresses for links from others" in Settings.',
    );
    this.name = 'FetchLocalAddress';
  }
}

/** The refusal for `address`, or null when it is public. */
export function refusalFor(
  host: string,
  address: string,
  classify: (address: string) => AddressKind = classifyAddress,
): LocalAddressError | null {
  const kind = classify(address);
  return kind === 'public' ? null : new LocalAddressError(host, address, kind);
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Turns a host name into addresses; tests pass one that answers from a table. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

type LookupCallback = Parameters<LookupFunction>[2];

export interface AddressGuardOptions {
  /** True for links from others (unless the setting allows local addresses for them). */
  refuseLocal: boolean;
  resolve?: Resolver;
  /** Which addresses count as local; tests let a loopback server stand in for a public site. */
  classify?: (address: string) => AddressKind;
}

/**
 * A `lookup` for net.connect: resolves with the guard's resolver and, when refusing local
 * addresses, connects only to the public ones among the answers.
 */
export function guardedLookup(options: AddressGuardOptions): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  const classify = options.classify ?? classifyAddress;
  return (hostname, lookupOptions, callback: LookupCallback) => {
    resolve(hostname).then(
      (found) => {
        const { family: wanted, all } = lookupOptions;
        const family = wanted === 'IPv4' ? 4 : wanted === 'IPv6' ? 6 : wanted;
        const candidates = found.filter((a) => !family || a.family === family);
        const usable = options.refuseLocal
          ? candidates.filter((a) => classify(a.address) === 'public')
          : candidates;
        const first = usable[0];
        if (!first) {
          const refused = options.refuseLocal && candidates[0];
          const error = refused
            ? refusalFor(hostname, refused.address, classify)!
            : Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          return callback(error, '', 0);
        }
        if (all) return callback(null, [...usable]);
        callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * A dispatcher for fetch (`{ dispatcher }`) that connects only where the guard allows: host
 * names are resolved here and local addresses dropped before connecting; literal addresses, which
 * never go through DNS, are checked on their own. Close it when done to free its connections.
 */
export function createAddressGuard(options: AddressGuardOptions): Agent {
  const connector = buildConnector({ lookup: guardedLookup(options) });
  return new Agent({
    connect(connectOptions, callback) {
      const host = connectOptions.hostname.replace(/^\[(.*)\]$/, '$1');
      const refusal =
        options.refuseLocal && isIP(host) ? refusalFor(host, host, options.classify) : null;
      if (refusal) return callback(refusal, null);
      connector(connectOptions, callback);
    },
  });
}
