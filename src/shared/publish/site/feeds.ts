// Atom 1.0 and JSON Feed 1.1 (written by feedsmith) and links.json. Pure functions of the entries,
// with dates taken from them and never from a clock, so equal input gives equal bytes. As in a
// link blog, an entry's main link is the page it links to; its page on the site is `related`,
// and its Bluesky post, once there is one, is `syndication` (in JSON Feed, `_syndication`).
import { generateAtomFeed, generateJsonFeed } from 'feedsmith';
import type { SiteSettings } from '../settings';
import { isoTime, normalizeBase, permalinkPath, type SiteEntry } from './entries';

export const FEED_SIZE = 50;

// XML 1.0 forbids most control characters even when escaped, and feedsmith passes them through.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xmlText(text: string): string {
  return text.replace(XML_INVALID, '');
}

export function entryId(settings: SiteSettings, entry: SiteEntry): string {
  return `${normalizeBase(settings.baseUrl)}#${entry.key}`;
}

export function atomFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const recent = entries.slice(0, FEED_SIZE);
  const text = (value: string) => ({ value: xmlText(value) });
  return generateAtomFeed({
    xml: { lang: settings.lang },
    id: base,
    title: text(settings.title),
    ...(settings.description ? { subtitle: text(settings.description) } : {}),
    links: [
      { rel: 'alternate', type: 'text/html', href: base },
      { rel: 'self', type: 'application/atom+xml', href: `${base}feed.xml` },
    ],
    // No clock: the feed changes only when an entry does.
    updated: new Date(recent.reduce((max, e) => Math.max(max, e.date), 0)),
    authors: [{ name: xmlText(settings.title) }],
    generator: { text: 'Curio' },
    entries: recent.map((e) => ({
      id: entryId(settings, e),
      title: text(e.headline),
      links: [
        { rel: 'alternate', href: e.url },
        { rel: 'related', type: 'text/html', href: base + permalinkPath(e) },
        ...e.syndication.map((href) => ({ rel: 'syndication', type: 'text/html', href })),
      ],
      published: new Date(e.date),
      updated: new Date(e.date),
      ...(e.blurb ? { summary: text(e.blurb) } : {}),
      categories: e.tags.map((term) => ({ term: xmlText(term) })),
    })),
  });
}

export function jsonFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const feed = generateJsonFeed({
    title: settings.title,
    home_page_url: base,
    feed_url: `${base}feed.json`,
    ...(settings.description ? { description: settings.description } : {}),
    language: settings.lang,
    authors: [{ name: settings.title }],
    items: entries.slice(0, FEED_SIZE).map((e) => ({
      id: entryId(settings, e),
      url: base + permalinkPath(e),
      external_url: e.url,
      title: e.headline,
      content_text: e.blurb || e.headline,
      ...(e.blurb ? { summary: e.blurb } : {}),
      date_published: new Date(e.date),
      ...(e.tags.length ? { tags: e.tags } : {}),
      // JSON Feed has no field for copies elsewhere; extensions are keys that start with "_".
      ...(e.syndication.length ? { _syndication: { urls: e.syndication } } : {}),
    })),
  });
  return JSON.stringify(feed, null, 2) + '\n';
}

/** Every pick, for scripts and other sites: the collection's public data in one file. */
export function linksJson(entries: readonly SiteEntry[]): string {
  const links = entries.map((e) => ({
    key: e.key,
    url: e.url,
    headline: e.headline,
    title: e.title,
    description: e.description,
    blurb: e.blurb,
    host: e.host,
    date: isoTime(e.date),
    tags: e.tags,
    syndication: e.syndication,
  }));
  return JSON.stringify({ version: 1, links }, null, 2) + '\n';
}
