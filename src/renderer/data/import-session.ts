// One import from the curator's point of view: a source is read (with progress, cancellable), a
// preview says what would happen, and only confirming a preview that brings something changes the
// collection. The Import dialog shows this state; nothing else of the import lives in the UI.
import type { CommitOutcome, ImportEntry, ImportInput } from '../../shared/collection';
import {
  ALREADY_SAVED,
  PreviewBuilder,
  describeProblem,
  type ImportPreview,
  type ImportProblem,
} from '../../shared/import';
import type { ImportSummary } from '../../shared/import/worker-protocol';
import type { ItemRow } from '../../shared/model';
import { Observable } from './observable';
import { nextPaint, nextTask } from './next-task';
import type { ImportSource, ReadImport, ReadOptions } from './import-reader';

/** What an import needs of the library. */
export interface ImportTarget {
  /** Why the collection cannot be changed here, or null. */
  readOnlyReason(): string | null;
  /** Resolves once every saved link is known (the preview compares against them). */
  whenReady: Promise<void>;
  row(id: string): ItemRow | undefined;
  commitImport(input: Omit<ImportInput, 'id'>): CommitOutcome;
}

export type ImportState =
  | { step: 'choose' }
  | { step: 'reading'; source: string; fraction: number }
  | { step: 'failed'; source: string; message: string }
  | {
      step: 'preview';
      source: string;
      summary: ImportSummary;
      preview: ImportPreview;
      /** The links a confirm would write: new ones and saved ones that gain something. */
      entries: ImportEntry[];
      /** Rows skipped or read with a warning, each with where it was ("line 14: …"). */
      problems: string[];
    }
  | { step: 'done'; source: string; outcome: CommitOutcome };

export type Reader = (source: ImportSource, options: ReadOptions) => Promise<ReadImport>;

/** How the preview shares the window: a clock in milliseconds, and the two ways of yielding. */
export interface Pacing {
  now(): number;
  nextTask(): Promise<void>;
  nextPaint(): Promise<void>;
}

const WINDOW_PACING: Pacing = { now: () => performance.now(), nextTask, nextPaint };

/** How long one slice of the preview may hold the window, in milliseconds. */
const PREVIEW_SLICE_MS = 8;
/** How long slices may follow one another before the window is let paint, in milliseconds. */
const PAINT_EVERY_MS = 48;
/** Drafts compared between two looks at the clock. */
const CLOCK_EVERY = 100;

function problemLines(summary: ImportSummary, preview: ImportPreview): string[] {
  const lines = summary.problems.map((p: ImportProblem) => describeProblem(p));
  if (summary.omittedProblems)
    lines.push(`…and ${summary.omittedProblems.toLocaleString('en')} more`);
  for (const entry of preview.entries) {
    // A link already saved as the file has it is no problem: the counts say how many.
    if (entry.status === 'skip' && entry.reason !== ALREADY_SAVED && entry.item.origin)
      lines.push(`${entry.item.origin}: ${entry.reason}`);
  }
  return lines;
}

export class ImportSession extends Observable {
  private current: ImportState = { step: 'choose' };
  private reading: AbortController | null = null;

  constructor(
    private readonly target: ImportTarget,
    private readonly read: Reader,
    /** How the preview is sliced; tests pass their own. */
    private readonly pacing: Pacing = WINDOW_PACING,
  ) {
    super();
  }

  readonly getState = (): ImportState => this.current;

  private set(state: ImportState): void {
    this.current = state;
    this.changed();
  }

  /** Reads a source (a chosen or dropped file, an account's posts) and previews it. */
  async start(source: ImportSource, label: string): Promise<void> {
    this.cancel();
    const reason = this.target.readOnlyReason();
    if (reason) return this.set({ step: 'failed', source: label, message: reason });
    const controller = new AbortController();
    this.reading = controller;
    this.set({ step: 'reading', source: label, fraction: 0 });
    try {
      const read = await this.read(source, {
        signal: controller.signal,
        onProgress: ({ fraction }) => {
          if (!controller.signal.aborted) this.set({ step: 'reading', source: label, fraction });
        },
      });
      await this.target.whenReady;
      if (controller.signal.aborted) return;
      if (read.summary.error) {
        this.reading = null;
        return this.set({ step: 'failed', source: label, message: read.summary.error });
      }
      const preview = await this.previewOf(label, read, controller.signal);
      if (controller.signal.aborted) return;
      this.reading = null;
      this.set(preview);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.reading = null;
      this.set({
        step: 'failed',
        source: label,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Compares the drafts against the library in slices of a few milliseconds, between which the
   * window paints and Cancel is heard: 100,000 drafts at once hold it for half a second or more.
   */
  private async previewOf(
    source: string,
    read: ReadImport,
    signal: AbortSignal,
  ): Promise<ImportState> {
    const ids = new Map<string, string>();
    const builder = new PreviewBuilder((_url, key) => this.target.row(ids.get(key)!));
    // Slices end by the clock, not by a count: on a busy machine 2,000 drafts can take 200 ms.
    const { now } = this.pacing;
    let sliceEnd = now() + PREVIEW_SLICE_MS;
    let paintBy = now() + PAINT_EVERY_MS;
    for (const [index, entry] of read.entries.entries()) {
      if (index % CLOCK_EVERY === 0 && index > 0 && now() > sliceEnd) {
        if (now() > paintBy) {
          await this.pacing.nextPaint();
          paintBy = now() + PAINT_EVERY_MS;
        } else {
          await this.pacing.nextTask();
        }
        if (signal.aborted) break;
        sliceEnd = now() + PREVIEW_SLICE_MS;
      }
      ids.set(entry.key, entry.id);
      builder.add(entry.item, entry.key);
    }
    const { preview } = builder;
    // One preview entry per draft, in the drafts' order.
    const entries = read.entries.filter((_, i) => preview.entries[i]?.status !== 'skip');
    return {
      step: 'preview',
      source,
      summary: read.summary,
      preview,
      entries,
      problems: problemLines(read.summary, preview),
    };
  }

  /** Stops reading, or puts a preview away: either way the collection is as it was. */
  cancel(): void {
    this.reading?.abort(new DOMException('The import was cancelled.', 'AbortError'));
    this.reading = null;
    if (this.current.step !== 'choose') this.set({ step: 'choose' });
  }

  /** Commits the preview on screen; does nothing unless there is one that brings something. */
  confirm(): CommitOutcome | null {
    const state = this.current;
    if (state.step !== 'preview' || state.entries.length === 0) return null;
    try {
      const outcome = this.target.commitImport({
        format: state.summary.format ?? 'unknown',
        source: state.source,
        entries: state.entries,
      });
      this.set({ step: 'done', source: state.source, outcome });
      return outcome;
    } catch (error) {
      // Refused before anything was written (read-only now, a link that cannot be stored).
      const message = error instanceof Error ? error.message : String(error);
      this.set({ step: 'failed', source: state.source, message });
      return null;
    }
  }
}
