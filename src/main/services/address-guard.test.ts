import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyAddress,
  createAddressGuard,
  guardedLookup,
  LocalAddressError,
  type AddressGuardOptions,
  type AddressKind,
  type Resolver,
} from './address-guard';
import { FetchError, safeFetch } from './safe-fetch';

/**
 * A loopback server that answers "ok", or redirects to `?to=`. Every address here is on this
 * machine: private-range addresses are only ever resolved, never connected to, even if the guard
 * were broken, because the names used for them resolve to loopback addresses in those tests.
 */
let server: ReturnType<typeof createServer>;
let port: number;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.headers.host} ${url.pathname}`);
    const to = url.searchParams.get('to');
    if (to) res.writeHead(302, { location: to }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const guards: ReturnType<typeof createAddressGuard>[] = [];
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
  seen.length = 0;
});

function guard(options: AddressGuardOptions) {
  const dispatcher = createAddressGuard(options);
  guards.push(dispatcher);
  return dispatcher;
}

/** Answers from a table, like a DNS server an attacker controls. */
function resolverOf(table: Record<string, string[]>): Resolver {
  return (hostname) => {
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error('no'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

async function fetchText(url: string, options: AddressGuardOptions): Promise<string> {
  const response = await safeFetch(url, { dispatcher: guard(options), timeoutMs: 10_000 });
  let text = '';
  for await (const chunk of response.body) text += Buffer.from(chunk).toString();
  return text;
}

async function refusal(url: string, options: AddressGuardOptions): Promise<LocalAddressError> {
  const error = await fetchText(url, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LocalAddressError);
  return error as LocalAddressError;
}

describe('classifyAddress', () => {
  it.each<[string, AddressKind]>([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    // IPv6 forms that deliver to an IPv4 address are judged by that address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::c0a8:101', 'private'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    // Public neighbours of the ranges above.
    ['8.8.8.8', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['169.253.255.255', 'public'],
    ['11.0.0.0', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['2002:808:808::', 'public'],
    ['fbff::1', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('rejects what is not an address', () => {
    expect(() => classifyAddress('localhost')).toThrow(/not an IP address/);
  });

  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((parts) => parts.join('.'));

  it('judges an IPv4 address the same in every IPv6 form that carries it', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const [a, b, c, d] = address.split('.').map(Number) as number[];
        const hex = `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
        const kind = classifyAddress(address);
        expect(classifyAddress(`::ffff:${address}`)).toBe(kind);
        expect(classifyAddress(`::ffff:${hex}`)).toBe(kind);
        expect(classifyAddress(`64:ff9b::${hex}`)).toBe(kind);
        expect(classifyAddress(`2002:${hex}::1`)).toBe(kind);
      }),
    );
  });

  it('reads every decimal, octal and hex spelling of a host as the address it names', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), (n) => {
        const dotted = [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
        for (const spelling of [String(n), `0x${n.toString(16)}`, `0${n.toString(8)}`]) {
          expect(new URL(`http://${spelling}/`).hostname).toBe(dotted);
        }
      }),
    );
  });
});

describe('guardedLookup, for names that resolve to a local network', () => {
  const lookup = (hostname: string, options: AddressGuardOptions, all = false) =>
    new Promise<{ error: Error | null; addresses: unknown }>((resolve) => {
      guardedLookup(options)(hostname, { all }, (error, addresses) =>
        resolve({ error, addresses }),
      );
    });
  const table = resolverOf({
    'nas.test': ['192.168.1.10'],
    'office.test': ['10.20.30.40'],
    'vpn.test': ['172.20.0.5'],
    'metadata.test': ['169.254.169.254'],
    'ula.test': ['fd00::5'],
    'any.test': ['0.0.0.0'],
    'mixed.test': ['10.0.0.1', '93.184.215.14', 'fe80::1'],
  });

  it.each(['nas.test', 'office.test', 'vpn.test', 'metadata.test', 'ula.test', 'any.test'])(
    'refuses %s for a link from others',
    async (hostname) => {
      const { error } = await lookup(hostname, { refuseLocal: true, resolve: table });
      expect(error).toBeInstanceOf(LocalAddressError);
      expect(error?.message).toMatch(
        new RegExp(`^Did not fetch ${hostname.replace('.', '\\.')} \\(`),
      );
      expect(error?.message).toMatch(/Allow local network addresses for links from others/);
    },
  );

  it('keeps only the public answers of a name that resolves to both', async () => {
    const options = { refuseLocal: true, resolve: table };
    expect((await lookup('mixed.test', options, true)).addresses).toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
  });

  it('passes every answer through for the curator’s own links', async () => {
    const { addresses } = await lookup('mixed.test', { refuseLocal: false, resolve: table }, true);
    expect(addresses).toHaveLength(3);
  });
});

describe('the address guard on real connections', () => {
  const at = (host: string, path = '/page') => `http://${host}:${port}${path}`;
  /** Lets the loopback server stand in for a public site, and only that address. */
  const publicStandIn = (address: string): AddressKind =>
    address === '127.0.0.1' ? 'public' : classifyAddress(address);

  it.each([
    '127.0.0.1',
    '[::1]',
    '0.0.0.0',
    '2130706433',
    '0x7f000001',
    '017700000001',
    '0177.0.0.1',
    '127.1',
    '0x7f.1',
    '[::ffff:127.0.0.1]',
    '[0:0:0:0:0:ffff:7f00:1]',
    'localhost',
  ])('refuses %s for a link from others, before connecting', async (host) => {
    const error = await refusal(at(host), { refuseLocal: true });
    expect(error.name).toBe('FetchLocalAddress');
    expect(error.addressKind).toMatch(/loopback|unspecified/);
    expect(seen).toEqual([]);
  });

  it('refuses a DNS name that resolves to a local address', async () => {
    const resolve = resolverOf({ 'blog.test': ['127.0.0.1'] });
    const error = await refusal(at('blog.test'), { refuseLocal: true, resolve });
    expect(error.message).toMatch(
      /^Did not fetch blog\.test \(127\.0\.0\.1\): it is this computer/,
    );
    expect(seen).toEqual([]);
  });

  it('checks every redirect hop, by name and by literal address', async () => {
    const resolve = resolverOf({ 'blog.test': ['127.0.0.1'], 'router.test': ['127.0.0.3'] });
    const options = { refuseLocal: true, resolve, classify: publicStandIn };
    expect(await fetchText(at('blog.test'), options)).toBe('ok');

    const byName = await refusal(at('blog.test', `/?to=${at('router.test')}`), options);
    expect(byName.address).toBe('127.0.0.3');
    const byLiteral = await refusal(at('blog.test', `/?to=${at('127.0.0.3')}`), options);
    expect(byLiteral.host).toBe('127.0.0.3');
    expect(seen).toEqual([`blog.test:${port} /page`, `blog.test:${port} /`, `blog.test:${port} /`]);
  });

  it('connects to the very answer it checked, so DNS rebinding gains nothing', async () => {
    let asked = 0;
    // Public first, then local: a check that resolved apart from the connection would pass the
    // first answer and connect with the second.
    const rebinding: Resolver = () =>
      Promise.resolve([{ address: asked++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }]);
    const options = { refuseLocal: true, resolve: rebinding, classify: publicStandIn };
    expect(await fetchText(at('rebind.test'), options)).toBe('ok');
    expect(asked).toBe(1);
    // A later connection asks again and meets the local answer.
    const error = await refusal(at('rebind.test', `/?to=${at('rebind2.test')}`), options);
    expect(error.address).toBe('127.0.0.2');
  });

  it('lets the curator’s own links reach loopback, by name and by address', async () => {
    const resolve = resolverOf({ 'intranet.test': ['127.0.0.1'] });
    expect(await fetchText(at('intranet.test'), { refuseLocal: false, resolve })).toBe('ok');
    expect(await fetchText(at('127.0.0.1'), { refuseLocal: false })).toBe('ok');
    expect(await fetchText(at('2130706433'), { refuseLocal: false })).toBe('ok');
  });

  it('is a FetchError, so callers treat it like any fetch that could not go through', async () => {
    const error = await refusal(at('127.0.0.1'), { refuseLocal: true });
    expect(error).toBeInstanceOf(FetchError);
  });
});
