// Reads an import off the main thread: a file, pasted text, or drafts read elsewhere (a Bluesky
// account) go to a worker of their own, which answers with progress and then the links in chunks
// with their ids. Cancelling ends the worker at once; nothing it sent afterwards is taken in.
import type { DesktopApi } from '../../shared/api';
import type { ImportEntry } from '../../shared/collection';
import { MAX_IMPORT_BYTES, tooLargeImport, type ImportResult } from '../../shared/import';
import type {
  ImportReply,
  ImportRequest,
  ImportStage,
  ImportSummary,
} from '../../shared/import/worker-protocol';
import { getDesktopApi } from '../platform/desktop';

export interface ReadImport {
  summary: ImportSummary;
  entries: ImportEntry[];
}

export interface ReadProgress {
  stage: ImportStage;
  /** 0 to 1 over both stages: reading is most of the work. */
  fraction: number;
}

export type ImportSource =
  | { kind: 'file'; file: Blob & { name: string } }
  | { kind: 'text'; text: string }
  /** An account's posts with link cards, read by the main process from its PDS. */
  | { kind: 'bluesky'; account: { handle: string; serviceUrl: string } };

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  startWorker?: () => Worker;
  /** Where a Bluesky account is read from; the app's DesktopApi unless given. */
  api?: Pick<DesktopApi, 'importBlueskyAccount'>;
}

/** The share of the bar that reading the file fills; working out ids fills the rest. */
const READING_SHARE = 0.85;

const startImportWorker = () =>
  new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });

/** What to ask the worker, or the answer already, when there is nothing for it to do. */
async function requestFor(
  source: ImportSource,
  api: ReadOptions['api'],
): Promise<{ request: ImportRequest; summary?: ImportResult } | ReadImport> {
  switch (source.kind) {
    case 'file': {
      // Refused before its bytes are read: a file of gigabytes must not fill the window's memory.
      if (source.file.size > MAX_IMPORT_BYTES)
        return { summary: tooLargeImport(source.file.name, source.file.size), entries: [] };
      const bytes = new Uint8Array(await source.file.arrayBuffer());
      return { request: { type: 'parse', id: 1, file: { bytes, name: source.file.name } } };
    }
    case 'text':
      return { request: { type: 'parse-text', id: 1, text: source.text } };
    case 'bluesky': {
      const result = await (api ?? getDesktopApi()).importBlueskyAccount(source.account);
      if (result.error || !result.items.length) return { summary: result, entries: [] };
      return { request: { type: 'identify', id: 1, items: result.items }, summary: result };
    }
  }
}

/** Reads an import; rejects with the signal's reason when cancelled. */
export async function readImport(
  source: ImportSource,
  { signal, onProgress, startWorker = startImportWorker, api }: ReadOptions = {},
): Promise<ReadImport> {
  signal?.throwIfAborted();
  const asked = await requestFor(source, api);
  signal?.throwIfAborted();
  if (!('request' in asked)) return asked;
  const { request, summary: known } = asked;
  const worker = startWorker();
  return new Promise<ReadImport>((resolve, reject) => {
    const entries: ImportEntry[] = [];
    const finish = () => {
      worker.terminate();
      signal?.removeEventListener('abort', cancel);
    };
    const cancel = () => {
      finish();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.onerror = (event) => {
      finish();
      reject(new Error(`The import could not be read: ${event.message || 'the reader failed'}.`));
    };
    worker.onmessage = ({ data: reply }: MessageEvent<ImportReply>) => {
      if (signal?.aborted) return;
      switch (reply.type) {
        case 'progress': {
          const share = reply.total ? reply.done / reply.total : 0;
          const fraction =
            reply.stage === 'reading'
              ? share * READING_SHARE
              : READING_SHARE + share * (1 - READING_SHARE);
          onProgress?.({ stage: reply.stage, fraction });
          return;
        }
        case 'items':
          reply.items.forEach((item, i) =>
            entries.push({ item, key: reply.keys[i]!, id: reply.ids[i]! }),
          );
          return;
        case 'done':
          finish();
          // Drafts read elsewhere bring their own summary (what was skipped, and why).
          resolve({ summary: known ?? reply.summary, entries });
          return;
        case 'cancelled':
          return;
      }
    };
    const transfer =
      request.type === 'parse'
        ? [request.file.bytes.buffer as ArrayBuffer]
        : ([] as Transferable[]);
    worker.postMessage(request, transfer);
  });
}
