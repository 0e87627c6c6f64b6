// Which format a file is, from its bytes first and its name second. Magic numbers name the files
// that are no export at all ("This looks like a PDF, not a bookmark export"); text is told apart by
// its first markup, its JSON shape or its CSV header, never by the extension alone, since exports
// get renamed and pasted.
import { csvHeader } from './csv';
import type { ImportFormat } from './result';

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

const MAGIC: Array<[bytes: number[], offset: number, what: string]> = [
  [[0x25, 0x50, 0x44, 0x46], 0, 'a PDF'],
  [[0x89, 0x50, 0x4e, 0x47], 0, 'a PNG image'],
  [[0xff, 0xd8, 0xff], 0, 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 0, 'a GIF image'],
  [[0x57, 0x45, 0x42, 0x50], 8, 'a WebP image'],
  [[0x66, 0x74, 0x79, 0x70], 4, 'a video or HEIC image'],
  [[0x49, 0x44, 0x33], 0, 'an MP3 file'],
  [[0x1f, 0x8b], 0, 'a gzip-compressed file (unpack it first)'],
  [[0x42, 0x5a, 0x68], 0, 'a bzip2-compressed file (unpack it first)'],
  [[0x37, 0x7a, 0xbc, 0xaf], 0, 'a 7-Zip archive (Curio reads ZIP archives)'],
  [[0x52, 0x61, 0x72, 0x21], 0, 'a RAR archive (Curio reads ZIP archives)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 0, 'an old Microsoft Office document'],
  [
    [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65],
    0,
    'an SQLite database (export bookmarks as HTML from the browser instead)',
  ],
  [[0x7f, 0x45, 0x4c, 0x46], 0, 'a program'],
  [[0x4d, 0x5a], 0, 'a Windows program'],
];

/** Names what binary bytes are, or null when they may be text. */
export function describeBinary(bytes: Uint8Array): string | null {
  for (const [magic, offset, what] of MAGIC) {
    if (magic.every((b, i) => bytes[offset + i] === b)) return what;
  }
  return null;
}

/** What a ZIP holds, by its entry names: an export Curio reads, or a description. */
export function detectZip(names: readonly string[]): { format: ImportFormat } | { what: string } {
  const lower = names.map((n) => n.toLowerCase());
  if (lower.some((n) => /(^|\/)metadata_[^/]*\.json$/.test(n))) return { format: 'omnivore' };
  if (lower.includes('[content_types].xml')) {
    if (lower.some((n) => n.startsWith('word/'))) return { what: 'a Word document' };
    if (lower.some((n) => n.startsWith('xl/'))) return { what: 'an Excel spreadsheet' };
    return { what: 'an Office document' };
  }
  if (lower.includes('mimetype') && lower.some((n) => n.endsWith('.opf')))
    return { what: 'an EPUB book' };
  if (lower.some((n) => n.endsWith('.csv'))) return { format: 'pocket-csv' };
  if (lower.some((n) => n.endsWith('.md'))) return { format: 'curio-markdown' };
  return { what: 'a ZIP archive with no export Curio knows inside' };
}

const has = (header: string[], ...columns: string[]) => columns.every((c) => header.includes(c));

/** CSV exports by their header row. */
export function detectCsv(text: string): ImportFormat | null {
  const header = csvHeader(text);
  if (has(header, 'url', 'title', 'description', 'tags', 'note', 'added_at', 'read_at'))
    return 'curio-csv';
  if (has(header, 'url', 'title', 'note', 'excerpt', 'folder', 'tags', 'created'))
    return 'raindrop-csv';
  if (has(header, 'title', 'url', 'time_added')) return 'pocket-csv';
  if (has(header, 'url', 'title', 'selection', 'folder', 'timestamp')) return 'instapaper-csv';
  if (has(header, 'title', 'author', 'publisher', 'url', 'in queue')) return 'matter-csv';
  return null;
}

/** JSON exports by their shape. */
export function detectJson(value: unknown): ImportFormat | null {
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    return first && typeof first === 'object' && 'savedAt' in first && 'url' in first
      ? 'omnivore'
      : null;
  }
  if (!value || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  if (o.format === 'curio-collection') return 'curio-json';
  if (typeof o.version === 'string' && o.version.startsWith('https://jsonfeed.org/version/'))
    return 'json-feed';
  if (Array.isArray(o.bookmarks)) return 'karakeep';
  if (Array.isArray(o.collections)) return 'linkwarden';
  return null;
}

export type TextDetection =
  { format: ImportFormat; json?: unknown } | { format: null; what: string };

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) control++;
  }
  return control > sample.length * 0.05;
}

/** What a text is; `name` only decides between "CSV with unknown columns" and plain text. */
export function detectText(text: string, name = ''): TextDetection {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  const lowerHead = head.toLowerCase();
  if (looksBinary(text)) return { format: null, what: 'a binary file' };
  if (lowerHead.startsWith('<!doctype netscape-bookmark-file')) return { format: 'netscape' };
  if (head.startsWith('<')) {
    const markup = lowerHead
      .replace(/<\?xml[^>]*>|<!--[\s\S]*?-->|<!doctype[^>]*>/g, '')
      .trimStart();
    if (markup.startsWith('<opml')) return { format: 'opml' };
    if (markup.startsWith('<rss') || markup.startsWith('<rdf:rdf')) return { format: 'rss' };
    if (markup.startsWith('<feed')) return { format: 'atom' };
    if (/<title>\s*pocket export\s*<\/title>/.test(lowerHead) || / time_added="/.test(lowerHead)) {
      return { format: 'pocket-html' };
    }
    if (/<dt>\s*<(a|h3)\b/i.test(text.slice(0, 1 << 20))) return { format: 'netscape' };
    if (markup.startsWith('<html') || markup.startsWith('<head') || markup.startsWith('<body')) {
      return { format: null, what: 'a web page' };
    }
  }
  if (head.startsWith('{') || head.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'malformed';
      return {
        format: null,
        what: `a JSON file that is not well-formed (${reason.slice(0, 120)})`,
      };
    }
    const format = detectJson(json);
    return format
      ? { format, json }
      : { format: null, what: 'a JSON file of a kind Curio does not know' };
  }
  const csv = detectCsv(text);
  if (csv) return { format: csv };
  if (/https?:\/\//i.test(text)) return { format: 'text' };
  if (/\.(csv|tsv)$/i.test(name)) {
    return {
      format: null,
      what: 'a CSV file whose columns Curio does not recognise (it needs at least a url column of a known export)',
    };
  }
  return { format: null, what: 'a file with no links in it' };
}
