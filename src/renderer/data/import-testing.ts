// The import worker without a Worker, for Node tests: the same handler, answering asynchronously
// as a worker would, and silent once terminated.
import { createImportHandler, type ImportReply } from '../../shared/import/worker-protocol';

export function inProcessImportWorker(): Worker {
  let terminated = false;
  const worker = {
    onmessage: null as ((event: MessageEvent<ImportReply>) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    terminate() {
      terminated = true;
    },
    postMessage(request: Parameters<ReturnType<typeof createImportHandler>>[0]) {
      const handle = createImportHandler((reply) => {
        if (!terminated) worker.onmessage?.({ data: reply } as MessageEvent<ImportReply>);
      });
      void handle(request);
    },
  };
  return worker as unknown as Worker;
}
