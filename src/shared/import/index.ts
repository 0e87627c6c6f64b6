// Importing: a dropped file or pasted text in, drafts and problems out. `parseImport` names the
// format, decodes, unpacks and hands the text to the format's own module; nothing here throws on
// bad input (only a cancelled run rejects, with the signal's reason).
import { parseCurioCsv } from './curio-csv';
import { parseCurioJson, type CurioJsonRead } from './curio-json';
import { parseCurioMarkdownFiles } from './curio-markdown';
import { decodeText } from './decode';
import { MAX_IMPORT_BYTES, describeBinary, detectText, detectZip } from './detect';
import type { DraftCollector } from './collect';
import type { ImportProblem } from './draft';
import { parseAtom, parseJsonFeedItems, parseOpmlOutlines, parseRss } from './feeds';
import { parseInstapaperCsv } from './instapaper';
import { parseKarakeep } from './karakeep';
import { parseLinkwarden } from './linkwarden';
import { parseMatterCsv } from './matter';
import { parseNetscape } from './netscape';
import { parseOmnivore } from './omnivore';
import { parsePocketCsv, parsePocketCsvFiles } from './pocket';
import { parseRaindropCsv } from './raindrop';
import {
  IMPORT_FORMATS,
  ImportRun,
  failedImport,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  type TextEncoding,
} from './result';
import { parseText } from './text';
import { isZip, listZip, readZip, UnsafeArchiveError } from './zip';

export * from './draft';
export * from './result';
export {
  ALREADY_SAVED,
  previewImport,
  PreviewBuilder,
  type ImportPreview,
  type PreviewEntry,
  type ExistingLookup,
} from './preview';
export {
  blueskyDrafts,
  blueskyPostUrl,
  POST_COLLECTION,
  REPOST_COLLECTION,
  type BlueskyAccountPosts,
  type BlueskyRecord,
} from './bluesky';
export { restoreCurioExport } from './curio-json';
export { MAX_IMPORT_BYTES } from './detect';

export interface ImportFile {
  bytes: Uint8Array;
  /** The file's name, for messages and for telling archives' contents apart. */
  name: string;
}

/** A Curio JSON import also carries the whole export, so an empty collection can be restored from it. */
export interface ImportOutcome extends ImportResult {
  curio?: CurioJsonRead['data'];
}

const megabytes = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

function finish(
  out: DraftCollector,
  format: ImportFormat,
  encoding: TextEncoding | null,
  decodeProblems: ImportProblem[] = [],
): ImportResult {
  const result = out.finish(format, encoding);
  result.problems.unshift(...decodeProblems);
  return result;
}

async function parseDetectedText(
  text: string,
  format: ImportFormat,
  json: unknown,
  run: ImportRun,
): Promise<{ out: DraftCollector; curio?: CurioJsonRead['data'] }> {
  switch (format) {
    case 'netscape':
    case 'pocket-html':
      return { out: await parseNetscape(text, run) };
    case 'pocket-csv':
      return { out: await parsePocketCsv(text, run) };
    case 'raindrop-csv':
      return { out: await parseRaindropCsv(text, run) };
    case 'instapaper-csv':
      return { out: await parseInstapaperCsv(text, run) };
    case 'matter-csv':
      return { out: await parseMatterCsv(text, run) };
    case 'curio-csv':
      return { out: await parseCurioCsv(text, run) };
    case 'karakeep':
      return { out: await parseKarakeep(json, run) };
    case 'linkwarden':
      return { out: await parseLinkwarden(json, run) };
    case 'omnivore':
      return {
        out: await parseOmnivore(
          { metadata: [['metadata.json', text]], highlights: new Map() },
          run,
        ),
      };
    case 'json-feed':
      return { out: await parseJsonFeedItems(json, run) };
    case 'rss':
      return { out: await parseRss(text, run) };
    case 'atom':
      return { out: await parseAtom(text, run) };
    case 'opml':
      return { out: await parseOpmlOutlines(text, run) };
    case 'curio-json': {
      const read = await parseCurioJson(json, run);
      return { out: read.out, curio: read.data };
    }
    default:
      return { out: await parseText(text, run) };
  }
}

/** Pasted or dropped text: detected like a file's text. */
export async function parseImportText(
  text: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const run = new ImportRun(options);
  const detected = detectText(text);
  if (!detected.format)
    return failedImport(`This looks like ${detected.what}, not a bookmark export.`);
  const { out, curio } = await parseDetectedText(text, detected.format, detected.json, run);
  return { ...finish(out, detected.format, null), ...(curio ? { curio } : {}) };
}

const sortedText = (files: Map<string, Uint8Array>) =>
  [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, bytes]) => [name, decodeText(bytes).text] as const);

async function parseZip(bytes: Uint8Array, run: ImportRun): Promise<ImportResult> {
  const entries = listZip(bytes).map((e) => e.name);
  const kind = detectZip(entries);
  if (!('format' in kind))
    return failedImport(`This looks like ${kind.what}, not a bookmark export.`);
  run.throwIfCancelled();
  if (kind.format === 'omnivore') {
    const files = readZip(
      bytes,
      (n) => /(^|\/)metadata_[^/]*\.json$/i.test(n) || /(^|\/)highlights\/[^/]+\.md$/i.test(n),
    );
    const metadata = sortedText(
      new Map([...files].filter(([n]) => n.toLowerCase().endsWith('.json'))),
    );
    const highlights = new Map(
      sortedText(new Map([...files].filter(([n]) => n.toLowerCase().endsWith('.md')))).map(
        ([n, text]) => [n.replace(/^.*\//, '').replace(/\.md$/i, ''), text],
      ),
    );
    return finish(await parseOmnivore({ metadata, highlights }, run), 'omnivore', 'utf-8');
  }
  if (kind.format === 'curio-markdown') {
    const files = sortedText(readZip(bytes, (n) => n.toLowerCase().endsWith('.md')));
    return finish(await parseCurioMarkdownFiles(files, run), 'curio-markdown', 'utf-8');
  }
  const files = sortedText(readZip(bytes, (n) => n.toLowerCase().endsWith('.csv')));
  return finish(await parsePocketCsvFiles(files, run), 'pocket-csv', 'utf-8');
}

/** The answer for a file over MAX_IMPORT_BYTES, given before its bytes are read. */
export function tooLargeImport(name: string, size: number): ImportResult {
  return failedImport(
    `${name || 'The file'} is ${megabytes(size)}; Curio imports files up to ${megabytes(MAX_IMPORT_BYTES)}. Split the export, or export fewer links at a time.`,
  );
}

/** A dropped or chosen file: its format named, its text read, its links returned as drafts. */
export async function parseImport(
  file: ImportFile,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const run = new ImportRun(options);
  const { bytes } = file;
  if (bytes.byteLength > MAX_IMPORT_BYTES) return tooLargeImport(file.name, bytes.byteLength);
  if (bytes.byteLength === 0) return failedImport(`${file.name || 'The file'} is empty.`);
  if (isZip(bytes)) {
    try {
      return await parseZip(bytes, run);
    } catch (error) {
      if (error instanceof UnsafeArchiveError) return failedImport(error.message);
      throw error;
    }
  }
  const binary = describeBinary(bytes);
  if (binary) return failedImport(`This looks like ${binary}, not a bookmark export.`);
  const decoded = decodeText(bytes);
  const detected = detectText(decoded.text, file.name);
  if (!detected.format)
    return failedImport(`This looks like ${detected.what}, not a bookmark export.`);
  run.throwIfCancelled();
  const { out, curio } = await parseDetectedText(decoded.text, detected.format, detected.json, run);
  return {
    ...finish(out, detected.format, decoded.encoding, decoded.problems),
    ...(curio ? { curio } : {}),
  };
}

/** One line on what the import found, for the dialog's heading. */
export function summarizeImport(result: ImportResult): string {
  if (result.error) return result.error;
  const n = result.items.length;
  const problems =
    result.problems.filter((p) => p.kind === 'skipped').length + result.omittedProblems;
  const parts = [
    `${n.toLocaleString('en')} link${n === 1 ? '' : 's'} in ${IMPORT_FORMATS[result.format!]}`,
  ];
  if (result.duplicates)
    parts.push(`${result.duplicates.toLocaleString('en')} listed twice, merged`);
  if (problems) parts.push(`${problems.toLocaleString('en')} could not be read`);
  for (const [reason, count] of Object.entries(result.skipped))
    parts.push(`${count.toLocaleString('en')} ${reason} skipped`);
  return parts.join('; ');
}
