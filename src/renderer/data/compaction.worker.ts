// Compacts one collection's update log off the main thread (compaction.ts), then is ended.
import { compactLog, type CompactionReply, type CompactionRequest } from './compaction';
import { CollectionDb } from './db';

const reply = (message: CompactionReply) => (self as unknown as Worker).postMessage(message);

self.onmessage = async ({ data }: MessageEvent<CompactionRequest>) => {
  const db = new CollectionDb(data.collectionId);
  try {
    reply({ done: await compactLog(db, data.structsPerPart) });
  } catch (error) {
    reply({ failed: error instanceof Error ? error.message : String(error) });
  } finally {
    db.close();
  }
};
