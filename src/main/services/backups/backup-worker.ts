// The backup worker's entry: compacts one backup at a time off the main thread, since a large
// collection takes seconds to load, compact and write as JSON.
import { parentPort } from 'node:worker_threads';
import { compactBackup } from './compact';
import type { CompactReply, CompactRequest } from './compact-protocol';

const port = parentPort;
if (!port) throw new Error('backup-worker runs only as a worker thread');

port.on('message', ({ request, takenAt }: CompactRequest) => {
  let reply: CompactReply;
  try {
    reply = { ok: true, backup: compactBackup(request, takenAt) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const transfer = reply.ok ? [reply.backup.document.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
