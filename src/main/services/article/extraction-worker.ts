// The extraction worker's entry: runs readPage and finishArticle for the main thread, one
// message at a time, so a page that takes jsdom seconds never stalls the main process.
import { parentPort } from 'node:worker_threads';
import { ArticleError } from './errors';
import { finishArticle, readPage } from './read-page';
import { WORKER_READY, type WorkerReply, type WorkerRequest } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('extraction-worker runs only as a worker thread');

port.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const value = request.op === 'read' ? readPage(request.input) : finishArticle(request.input);
    reply = { id: request.id, ok: true, value };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      kind: error instanceof ArticleError ? error.kind : null,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(reply);
});
port.postMessage(WORKER_READY);
