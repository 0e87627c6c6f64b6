// A hub process on loopback for the tests of one spec file: started before them, stopped after,
// its data folder removed.
import { rm } from 'node:fs/promises';
import { spawnHub, tempDataDir, tokenFor, type HubProcess } from '../../src/hub/test-kit';
import { formatInvite } from '../../src/shared/model';
import type { Role } from '../../src/shared/sync';
import { test } from './fixtures';

export interface SpecHub {
  readonly url: string;
  /** The hub's --data folder, for its CLI (tokens, revoke). */
  readonly dataDir: string;
  /** An invite link to `collection` for `member`, as Settings → Sync takes it. */
  invite(collection: string, member: string, role?: Role): string;
}

export function useSpecHub(): SpecHub {
  let hub: HubProcess | null = null;
  let dataDir = '';
  test.beforeAll(async () => {
    dataDir = tempDataDir();
    hub = await spawnHub(dataDir);
  });
  test.afterAll(async () => {
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const running = () => {
    if (!hub) throw new Error('The hub starts before the tests of the spec.');
    return hub;
  };
  return {
    get url() {
      return running().url;
    },
    get dataDir() {
      return dataDir;
    },
    invite(collection, member, role = 'editor') {
      return formatInvite({
        hub: running().url,
        collection,
        token: tokenFor(collection, role, member),
      });
    },
  };
}
