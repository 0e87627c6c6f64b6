// The rooms loaded in memory. A room whose last connection has gone stays loaded for a while (a
// member reconnecting finds it warm), then folds its log into a snapshot and is released; a room
// still folding when it is wanted again finishes before its successor loads.
import { Room, type RoomDeps } from './room';

export class Rooms {
  private readonly loaded = new Map<string, Room>();
  private readonly idle = new Map<Room, () => void>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly deps: RoomDeps;

  constructor(
    deps: Omit<RoomDeps, 'onBroken'>,
    private readonly idleUnloadMs: number,
  ) {
    this.deps = {
      ...deps,
      onBroken: (room) => {
        if (this.loaded.get(room.name) === room) this.loaded.delete(room.name);
      },
    };
  }

  get size(): number {
    return this.loaded.size;
  }

  /** The loaded room of that name, if any. */
  find(name: string): Room | undefined {
    return this.loaded.get(name);
  }

  /** Every loaded room. */
  all(): IterableIterator<Room> {
    return this.loaded.values();
  }

  open(name: string): Room {
    let room = this.loaded.get(name);
    if (!room) {
      room = new Room(name, this.deps, this.unloading.get(name));
      this.loaded.set(name, room);
    }
    this.idle.get(room)?.();
    this.idle.delete(room);
    return room;
  }

  /** Starts the idle countdown of a room nobody is connected to. */
  releaseIfIdle(room: Room): void {
    if (room.peerCount > 0 || this.idle.has(room)) return;
    const cancel = this.deps.clock.after(this.idleUnloadMs, () => {
      this.idle.delete(room);
      if (room.peerCount > 0 || this.loaded.get(room.name) !== room) return;
      this.loaded.delete(room.name);
      const done = room.shutdown().finally(() => {
        if (this.unloading.get(room.name) === done) this.unloading.delete(room.name);
      });
      this.unloading.set(room.name, done);
    });
    this.idle.set(room, cancel);
  }

  /** Folds and releases every room. */
  async close(): Promise<void> {
    for (const cancel of this.idle.values()) cancel();
    this.idle.clear();
    await Promise.all([...this.loaded.values()].map((room) => room.shutdown()));
    await Promise.all(this.unloading.values());
    this.loaded.clear();
  }
}
