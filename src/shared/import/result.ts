// The shape of an import's answer, the formats Curio reads, and the run context every parser
// shares: progress, cancellation and yielding between chunks so a worker can hear "cancel".
import type { ImportedItem, ImportProblem } from './draft';

export const IMPORT_FORMATS = {
  netscape: 'a bookmark file (Netscape HTML)',
  'pocket-html': 'a Pocket export (HTML)',
  'pocket-csv': 'a Pocket export (CSV)',
  'raindrop-csv': 'a Raindrop.io export (CSV)',
  'instapaper-csv': 'an Instapaper export (CSV)',
  'matter-csv': 'a Matter export (CSV)',
  omnivore: 'an Omnivore export',
  karakeep: 'a Karakeep backup (JSON)',
  linkwarden: 'a Linkwarden backup (JSON)',
  opml: 'an OPML file',
  rss: 'an RSS feed',
  atom: 'an Atom feed',
  'json-feed': 'a JSON Feed',
  text: 'text with links',
  bluesky: 'a Bluesky account',
  'curio-json': 'a Curio export (JSON)',
  'curio-csv': 'a Curio export (CSV)',
  'curio-markdown': 'a Curio export (Markdown files)',
} as const;
export type ImportFormat = keyof typeof IMPORT_FORMATS;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface ImportResult {
  format: ImportFormat | null;
  /** How the format is named to a person: "a Pocket export (CSV)". */
  formatName: string;
  /** How the text was decoded, when the input was bytes. */
  encoding: TextEncoding | null;
  items: ImportedItem[];
  problems: ImportProblem[];
  /** Problems past the first MAX_KEPT_PROBLEMS are counted here, not kept. */
  omittedProblems: number;
  /** Entries read, links or not. */
  entries: number;
  /** Entries folded into an earlier entry with the same link. */
  duplicates: number;
  /** Entries left out on purpose, counted by reason: { reply: 3, repost: 2 }. */
  skipped: Record<string, number>;
  /** Set when nothing could be read (unknown format, too large, broken archive). */
  error?: string;
}

export const MAX_KEPT_PROBLEMS = 1_000;

export interface ImportProgress {
  /** Work done and total, in the parser's own unit (characters, rows, entries). */
  done: number;
  total: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Lets other tasks run between chunks; a zero-delay timer unless given. */
  yieldControl?: () => Promise<void>;
}

const defaultYield = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Handed to each parser: call `checkpoint` between chunks of work. */
export class ImportRun {
  constructor(private readonly options: ImportOptions = {}) {}

  /** Reports progress, gives other tasks a turn, and throws the abort reason once cancelled. */
  async checkpoint(done: number, total: number): Promise<void> {
    this.options.signal?.throwIfAborted();
    this.options.onProgress?.({ done, total });
    await (this.options.yieldControl ?? defaultYield)();
    this.options.signal?.throwIfAborted();
  }

  throwIfCancelled(): void {
    this.options.signal?.throwIfAborted();
  }
}

/** The answer for input that could not be read at all. */
export function failedImport(error: string, format: ImportFormat | null = null): ImportResult {
  return {
    format,
    formatName: format ? IMPORT_FORMATS[format] : 'an unknown file',
    encoding: null,
    items: [],
    problems: [],
    omittedProblems: 0,
    entries: 0,
    duplicates: 0,
    skipped: {},
    error,
  };
}
