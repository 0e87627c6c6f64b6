import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MemoryRoomStore } from './room-store';
import { roomStoreContract } from './room-store.contract';
import { SqliteRoomStore } from './sqlite-store';
import { tempDataDir } from './test-kit';

roomStoreContract('memory', async () => new MemoryRoomStore());
roomStoreContract('SQLite', async () => new SqliteRoomStore(join(tempDataDir(), 'hub.sqlite')));

it('SQLite keeps the log across reopening the file', async () => {
  const file = join(tempDataDir(), 'hub.sqlite');
  const store = new SqliteRoomStore(file);
  const seq = await store.append('r', Uint8Array.from([1, 2, 3]));
  await store.close();
  const reopened = new SqliteRoomStore(file);
  const log = await reopened.load('r');
  expect(log.head).toBe(seq);
  expect(log.updates.map((u) => Array.from(u))).toEqual([[1, 2, 3]]);
  await reopened.close();
});
