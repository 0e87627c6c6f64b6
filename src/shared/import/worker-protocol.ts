// What the import worker and the window say to each other: the window sends a file, pasted text or
// drafts read elsewhere (a Bluesky account) and may cancel; the worker answers with progress, the
// links in chunks with their ids, then the rest of the result, or says it stopped. Links arrive in
// chunks so the window never spends one long task taking in 100,000 of them, and with their ids
// so it never hashes a URL itself. The handler is plain code so Node tests drive it without a Worker.
import { itemIdForKey, urlKey, urlKeyOfClean } from '../model';
import { parseImport, parseImportText, type ImportFile, type ImportOutcome } from '.';
import { collectedKey } from './collect';
import type { ImportedItem } from './draft';
import { ImportRun } from './result';

export type ImportRequest =
  | { type: 'parse'; id: number; file: ImportFile }
  | { type: 'parse-text'; id: number; text: string }
  | { type: 'identify'; id: number; items: ImportedItem[] }
  | { type: 'cancel'; id: number };

/** Reading the file, then working out each link's identity. */
export type ImportStage = 'reading' | 'identifying';

/** The result without its links, which came before it in `items` replies. */
export type ImportSummary = Omit<ImportOutcome, 'items'>;

export type ImportReply =
  | { type: 'progress'; id: number; stage: ImportStage; done: number; total: number }
  | { type: 'items'; id: number; items: ImportedItem[]; keys: string[]; ids: string[] }
  | { type: 'done'; id: number; summary: ImportSummary }
  | { type: 'cancelled'; id: number };

/** Links per `items` reply: small enough that taking one in is a short task for the window. */
export const ITEMS_PER_REPLY = 2_000;

/** One handler per worker: runs each request with its own AbortController. */
export function createImportHandler(
  post: (reply: ImportReply) => void,
): (request: ImportRequest) => Promise<void> {
  const running = new Map<number, AbortController>();
  return async (request) => {
    if (request.type === 'cancel') {
      running.get(request.id)?.abort();
      return;
    }
    const { id } = request;
    const controller = new AbortController();
    running.set(id, controller);
    const progress =
      (stage: ImportStage) =>
      ({ done, total }: { done: number; total: number }) =>
        post({ type: 'progress', id, stage, done, total });
    const options = { signal: controller.signal, onProgress: progress('reading') };
    try {
      const outcome: ImportOutcome =
        request.type === 'parse'
          ? await parseImport(request.file, options)
          : request.type === 'parse-text'
            ? await parseImportText(request.text, options)
            : { ...emptySummary(), items: request.items };
      const { items, ...summary } = outcome;
      // Drafts parsed here were cleaned and keyed as they were collected; drafts read elsewhere
      // are not taken on trust.
      const keyOf =
        request.type === 'identify'
          ? (item: ImportedItem) => urlKey(item.url)
          : (item: ImportedItem) => collectedKey(item) ?? urlKeyOfClean(item.url);
      const run = new ImportRun({ signal: controller.signal, onProgress: progress('identifying') });
      for (let start = 0; start < items.length; start += ITEMS_PER_REPLY) {
        const chunk = items.slice(start, start + ITEMS_PER_REPLY);
        const keys = chunk.map(keyOf);
        post({ type: 'items', id, items: chunk, keys, ids: keys.map(itemIdForKey) });
        await run.checkpoint(start + chunk.length, items.length);
      }
      post({ type: 'done', id, summary });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      post({ type: 'cancelled', id });
    } finally {
      running.delete(id);
    }
  };
}

/** Drafts handed in whole (a Bluesky account's) have no file summary of their own. */
function emptySummary(): ImportSummary {
  return {
    format: null,
    formatName: '',
    encoding: null,
    problems: [],
    omittedProblems: 0,
    entries: 0,
    duplicates: 0,
    skipped: {},
  };
}
