// What the import worker and the window say to each other: the window sends a file or pasted text
// and may cancel it; the worker answers with progress and then the result, or says it stopped.
// The handler is plain code so Node tests drive it without a Worker.
import { parseImport, parseImportText, type ImportFile, type ImportOutcome } from '.';

export type ImportRequest =
  | { type: 'parse'; id: number; file: ImportFile }
  | { type: 'parse-text'; id: number; text: string }
  | { type: 'cancel'; id: number };

export type ImportReply =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; result: ImportOutcome }
  | { type: 'cancelled'; id: number };

/** One handler per worker: runs each parse with its own AbortController. */
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
    const options = {
      signal: controller.signal,
      onProgress: ({ done, total }: { done: number; total: number }) =>
        post({ type: 'progress', id, done, total }),
    };
    try {
      const result =
        request.type === 'parse'
          ? await parseImport(request.file, options)
          : await parseImportText(request.text, options);
      post({ type: 'done', id, result });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      post({ type: 'cancelled', id });
    } finally {
      running.delete(id);
    }
  };
}
