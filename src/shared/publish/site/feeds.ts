// Atom 1.0, JSON Feed 1.1 and links.json. Pure strings from entries, so equal input gives equal bytes.
import type { SiteSettings } from '../settings';
import { isoTime, normalizeBase, type SiteEntry } from './entries';

export const FEED_SIZE = 50;

// XML 1.0 forbids most control characters even when escaped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function entryId(settings: SiteSettings, entry: SiteEntry): string {
  return `${normalizeBase(settings.baseUrl)}#${entry.key}`;
}

export function atomFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const recent = entries.slice(0, FEED_SIZE);
  const updated = isoTime(recent.reduce((max, e) => Math.max(max, e.date), 0));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(settings.lang)}">`,
    `  <title>${escapeXml(settings.title)}</title>`,
    ...(settings.description ? [`  <subtitle>${escapeXml(settings.description)}</subtitle>`] : []),
    `  <id>${escapeXml(base)}</id>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(base)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(base + 'feed.xml')}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${escapeXml(settings.title)}</name></author>`,
    '  <generator>Curio</generator>',
  ];
  for (const e of recent) {
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(e.title)}</title>`,
      `    <link rel="alternate" href="${escapeXml(e.url)}"/>`,
      `    <id>${escapeXml(entryId(settings, e))}</id>`,
      `    <published>${isoTime(e.date)}</published>`,
      `    <updated>${isoTime(e.date)}</updated>`,
      ...(e.blurb ? [`    <summary type="text">${escapeXml(e.blurb)}</summary>`] : []),
      ...e.tags.map((t) => `    <category term="${escapeXml(t)}"/>`),
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

export function jsonFeed(entries: readonly SiteEntry[], settings: SiteSettings): string {
  const base = normalizeBase(settings.baseUrl);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: settings.title,
    home_page_url: base,
    feed_url: base + 'feed.json',
    ...(settings.description ? { description: settings.description } : {}),
    language: settings.lang,
    authors: [{ name: settings.title }],
    items: entries.slice(0, FEED_SIZE).map((e) => ({
      id: entryId(settings, e),
      url: e.url,
      external_url: e.url,
      title: e.title,
      content_text: e.blurb || e.title,
      ...(e.blurb ? { summary: e.blurb } : {}),
      date_published: isoTime(e.date),
      ...(e.tags.length ? { tags: e.tags } : {}),
    })),
  };
  return JSON.stringify(feed, null, 2) + '\n';
}

/** Every pick, for scripts and other sites: the collection's public data in one file. */
export function linksJson(entries: readonly SiteEntry[]): string {
  const links = entries.map((e) => ({
    key: e.key,
    url: e.url,
    title: e.title,
    blurb: e.blurb,
    host: e.host,
    date: isoTime(e.date),
    tags: e.tags,
  }));
  return JSON.stringify({ version: 1, links }, null, 2) + '\n';
}
