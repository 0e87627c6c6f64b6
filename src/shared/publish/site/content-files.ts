// "Content files": one Markdown file with YAML front matter per pick, for an existing Hugo,
// Jekyll or Astro site to render. Strings are written as JSON, which every YAML parser reads.
import type { SiteSettings } from '../settings';
import { isoTime, type SiteEntry } from './entries';

export function contentFilePath(settings: SiteSettings, entry: SiteEntry): string {
  const dir = settings.contentDir.replace(/\/+$/, '');
  return `${dir ? dir + '/' : ''}${entry.key}.md`;
}

export function contentFile(entry: SiteEntry): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    '---',
    `title: ${q(entry.headline)}`,
    ...(entry.headline !== entry.title ? [`link_title: ${q(entry.title)}`] : []),
    ...(entry.description ? [`description: ${q(entry.description)}`] : []),
    `date: ${isoTime(entry.date)}`,
    `link: ${q(entry.url)}`,
    `host: ${q(entry.host)}`,
    `tags: [${entry.tags.map(q).join(', ')}]`,
    ...(entry.syndication.length ? [`syndication: [${entry.syndication.map(q).join(', ')}]`] : []),
    `curio_id: ${q(entry.itemId)}`,
    '---',
    '',
  ];
  if (entry.blurb) lines.push(entry.blurb, '');
  return lines.join('\n');
}
