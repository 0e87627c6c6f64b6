// What a room is made of and talks to: its connected peers, its storage and group commit, and
// (when several hubs serve it) the other hubs.
import type { Role } from '../shared/sync';
import type { HubClock } from './clock';
import type { GroupCommit } from './group-commit';
import type { HubMetrics } from './metrics';
import type { Room } from './room';
import type { LogEntry, RoomStore } from './room-store';
import type { UpdateChecker } from './update-check';

/** The origin of changes that came from other hubs: already stored, never published back. */
export const FROM_CLUSTER = Symbol('another hub');

/** A connected client, as the room sees it. */
export interface Peer {
  readonly role: Role;
  /** The member its token was made out to. */
  readonly member: string;
  /** Asked for MESSAGE_CONFIRMED after each of its updates is stored. */
  readonly confirms?: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** What a room needs when other hubs serve it too. */
export interface RoomCluster {
  /** Every stored update after `seq`, gap-free and oldest first. */
  updatesSince(room: string, seq: number): Promise<LogEntry[]>;
  /** Tells the other hubs of a presence change here (never stored). */
  publishPresence(room: string, update: Uint8Array): void;
}

export interface RoomDeps {
  store: RoomStore;
  commits: GroupCommit;
  /** Set when several hubs serve the same rooms through one database. */
  cluster?: RoomCluster;
  metrics: HubMetrics;
  clock: HubClock;
  log: (line: string) => void;
  /** Called when the in-memory room can no longer be trusted; the hub forgets it. */
  onBroken: (room: Room) => void;
  /** Decodes updates before they are applied, so a poison update is never half-applied. */
  checker: UpdateChecker;
  /** Fold the log into a snapshot once it has this many entries. */
  compactAfter: number;
  /** Bytes of early updates one connection may leave waiting (waiting-updates.ts). */
  maxWaitingBytes: number;
}
