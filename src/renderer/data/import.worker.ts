// Parses imports off the main thread: a 200 MB export must not freeze the window, and the worker
// hears "cancel" between chunks because every parser yields there.
import { createImportHandler, type ImportRequest } from '../../shared/import/worker-protocol';

const handle = createImportHandler((reply) => (self as unknown as Worker).postMessage(reply));

self.onmessage = (event: MessageEvent<ImportRequest>) => {
  void handle(event.data);
};
