// Markdown, two ways: one list of links (to paste into a post or a note), or a ZIP with one file
// per link whose front matter keeps every field (for Obsidian-style vaults, and to come back).
import { zipSync } from 'fflate';
import type { ItemRow } from '../model';

function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]*_`<>]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

function linkDestination(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
}

/** `- [title](url) — description`, one line per link, tags after it as hashtags. */
export function toMarkdownList(rows: readonly ItemRow[], heading?: string): string {
  const lines: string[] = heading ? [`# ${heading.replace(/\s+/g, ' ')}`, ''] : [];
  for (const row of rows) {
    let line = `- [${escapeLinkText(row.title || row.url)}](${linkDestination(row.url)})`;
    const description = row.description.replace(/\s+/g, ' ').trim();
    if (description) line += ` — ${escapeLinkText(description)}`;
    if (row.tags.length) line += ` ${row.tags.map((t) => `#${t}`).join(' ')}`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One item's file: front matter (values written as JSON, which YAML reads) and the note. */
export function toMarkdownFile(row: ItemRow): string {
  const fields: Array<[string, unknown]> = [
    ['url', row.url],
    ['title', row.title],
    ['description', row.description],
    ['tags', row.tags],
    ['added', iso(row.addedAt)],
    ['read', iso(row.readAt)],
  ];
  if (row.image) fields.push(['image', row.image]);
  const bluesky = row.publications.bluesky;
  if (bluesky?.url) fields.push(['bluesky', bluesky.url]);
  const head = fields.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
  return `---\n${head}\n---\n\n${row.note.trim() ? row.note.trim() + '\n' : ''}`;
}

/** A file name's part from a title: lowercase letters and digits joined by hyphens. */
export function slug(title: string, fallback = 'link'): string {
  return (
    title
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback
  );
}

export function toMarkdownZip(rows: readonly ItemRow[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const encoder = new TextEncoder();
  for (const row of rows) {
    const name = `${slug(row.title)}-${row.id.slice(0, 8)}.md`;
    files[name in files ? `${slug(row.title)}-${row.id}.md` : name] = encoder.encode(
      toMarkdownFile(row),
    );
  }
  return zipSync(files, { level: 6 });
}
