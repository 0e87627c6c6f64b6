// The messages between PageReader and the extraction worker. Kept apart from both so the worker
// bundle does not pull in the reader (and the reader's chunk stays beside the main entry).
import type { ArticleFailureKind } from '../../../shared/article';
import type { FinishedArticle, FinishInput, PageInput, PageReading } from './read-page';

export type WorkerRequest =
  { id: number; op: 'read'; input: PageInput } | { id: number; op: 'finish'; input: FinishInput };

export type WorkerReply =
  | { id: number; ok: true; value: PageReading | FinishedArticle }
  | { id: number; ok: false; kind: ArticleFailureKind | null; message: string };

/** The worker's first message, once its modules are loaded: deadlines start from here. */
export const WORKER_READY = 'ready';
