// URL normalisation. `cleanUrl` is what Curio stores and shows: the link as entered, minus
// tracking noise. `urlKey` is the identity used to recognise the same article saved twice: it also
// folds scheme, `www.`, mobile and AMP variants, and query order.

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'ref_src',
  'ref_url',
  's_cid',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  '__s',
  'ck_subscriber_id',
  '_ga',
  '_gl',
  'si',
  'spm',
  'ocid',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_'];

export class InvalidUrlError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(
      `"${input.length > 80 ? input.slice(0, 77) + '…' : input}" is not a link Curio can save: ${reason}`,
    );
    this.name = 'InvalidUrlError';
  }
}

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((p) => lower.startsWith(p));
}

/** Parses user input ("example.com/x", " https://… ") into an http(s) URL, or throws InvalidUrlError. */
export function parseHttpUrl(input: string): URL {
  const trimmed = input.trim();
  if (!trimmed) throw new InvalidUrlError(input, 'it is empty');
  if (/\s/.test(trimmed)) throw new InvalidUrlError(input, 'it contains spaces');
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^/:]+:\d+(\/|$)/.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `https://${trimmed.replace(/^\/\//, '')}`);
  } catch {
    throw new InvalidUrlError(input, 'it is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidUrlError(
      input,
      `only http and https links are supported, not ${url.protocol}`,
    );
  }
  if (
    !url.hostname ||
    (!url.hostname.includes('.') && url.hostname !== 'localhost' && !url.hostname.startsWith('['))
  ) {
    throw new InvalidUrlError(input, 'it has no host name');
  }
  if (url.username || url.password)
    throw new InvalidUrlError(input, 'it contains a user name or password');
  return url;
}

/** The link to store and open: lower-case scheme and host, no default port, fragment or tracking parameters. */
export function cleanUrl(input: string): string {
  const url = parseHttpUrl(input);
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) {
    if (isTracking(name)) url.searchParams.delete(name);
  }
  if (url.searchParams.size === 0) url.search = '';
  return url.toString();
}

/** Unwraps Google's AMP cache and AMP viewer URLs to the publisher's URL. */
function unwrapAmpCache(url: URL): URL {
  const cache = url.hostname.endsWith('.cdn.ampproject.org');
  const viewer = /^(www\.)?google\.[a-z.]+$/.test(url.hostname) && url.pathname.startsWith('/amp/');
  if (!cache && !viewer) return url;
  const m =
    url.pathname.match(/^\/(?:amp\/|c\/)(s\/)?(.+)$/) ??
    url.pathname.match(/^\/(?:c\/)?(s\/)?(.+)$/);
  if (!m || !m[2]) return url;
  try {
    return new URL(`${m[1] ? 'https' : 'http'}://${m[2]}${url.search}`);
  } catch {
    return url;
  }
}

/** The identity of a link: two inputs with the same key are the same article. */
export function urlKey(input: string): string {
  return urlKeyOfClean(cleanUrl(input));
}

/**
 * urlKey of a URL cleanUrl returned (cleanUrl is idempotent): an import cleans each of 100,000
 * links once and keys them without cleaning them again.
 */
export function urlKeyOfClean(cleaned: string): string {
  const url = unwrapAmpCache(new URL(cleaned));
  let host = url.hostname.replace(/\.$/, '');
  host = host.replace(/^(www\d?|m|mobile|amp)\./, '');
  host = host.replace(/\.m\./, '.'); // en.m.wikipedia.org
  const port = url.port ? `:${url.port}` : '';
  let path = url.pathname.replace(/\/{2,}/g, '/');
  path = path.replace(/\/amp\/?$/, '/').replace(/\.amp(\.html?)?$/, '$1');
  path = path.replace(/\/(index\.html?|index\.php)$/, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  if (path === '/') path = '';
  const params = [...url.searchParams.entries()]
    .filter(
      ([name, value]) =>
        !(name === 'amp' && (value === '' || value === '1' || value === 'true')) &&
        !isTracking(name),
    )
    .sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  const query = params.length ? '?' + new URLSearchParams(params).toString() : '';
  return `${host}${port}${path}${query}`;
}

/** The host to show beside a title, without `www.`. */
export function displayHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * True for an absolute http(s) URL: the only kind Curio renders as a link, opens outside the app
 * or publishes, whoever wrote it. Anything else (`javascript:`, `data:`, a number) is false.
 */
export function isHttpUrl(value: unknown): boolean {
  // The scheme and both slashes must be spelled out: `https:foo` is relative to the page.
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
