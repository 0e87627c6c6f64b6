// The app's search worker in a Node worker thread: its `self` is the thread's port.
import { parentPort } from 'node:worker_threads';

const port = parentPort!;
Object.assign(globalThis, {
  self: {
    set onmessage(handler: (event: { data: unknown }) => void) {
      port.on('message', (data: unknown) => handler({ data }));
    },
    postMessage: (message: unknown) => port.postMessage(message),
  },
});
await import('../../src/renderer/data/search.worker');
