// A snapshot of a whole document written as a sequence of updates, each small enough to apply
// within a frame. Applied in order, every part finds what its structs refer to (the item to their
// left and right when they were inserted, the type holding them) already in the document, so it
// integrates at once instead of waiting in Yjs's pending store for a later part. The delete set
// comes last, when every struct it names is there.
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Structs per part. At 100,000 links a part of 2,000 applied in 8 ms (median) in Node, but in a
 * CPU profile of the window a part of saved links took 100–140 ms: each field of a link is a
 * string of its own, and decoding each is a call into the browser.
 */
export const STRUCTS_PER_PART = 1_000;

/** A run of one client's structs, by index into the document's list of that client's structs. */
interface Run {
  client: number;
  from: number;
  to: number;
}

/** The ids a struct refers to: written with it, and looked up when it is integrated. */
function dependencies(struct: Struct): (Y.ID | null)[] {
  if (!(struct instanceof Y.Item)) return [];
  const parent = struct.parent instanceof Y.AbstractType ? struct.parent._item?.id : null;
  return [struct.origin, struct.rightOrigin, parent ?? null];
}

/**
 * Every client's structs in runs, ordered so that each run's dependencies come earlier. The
 * history of a document is causal, so some client can always go on; should none be able to
 * (a document Yjs itself would have left pending), the rest follows in client order.
 */
function causalRuns(clients: Map<number, Struct[]>): Run[] {
  const state = new Map<number, number>();
  const cursor = new Map<number, number>();
  const runs: Run[] = [];
  const met = (id: Y.ID | null) => id === null || (state.get(id.client) ?? 0) > id.clock;
  let remaining = [...clients.keys()].sort((a, b) => a - b);
  while (remaining.length) {
    let progress = false;
    for (const client of remaining) {
      const structs = clients.get(client)!;
      const from = cursor.get(client) ?? 0;
      let to = from;
      while (to < structs.length && dependencies(structs[to]!).every(met)) {
        const struct = structs[to]!;
        state.set(client, struct.id.clock + struct.length);
        to++;
      }
      if (to === from) continue;
      runs.push({ client, from, to });
      cursor.set(client, to);
      progress = true;
    }
    remaining = remaining.filter((client) => cursor.get(client)! < clients.get(client)!.length);
    if (!progress) {
      for (const client of remaining)
        runs.push({ client, from: cursor.get(client) ?? 0, to: clients.get(client)!.length });
      break;
    }
  }
  return runs;
}

/** Runs cut and packed into parts of at most `size` structs, each client once per part. */
function packed(runs: Run[], size: number): Run[][] {
  const parts: Run[][] = [];
  let part: Run[] = [];
  let count = 0;
  for (const run of runs) {
    for (let from = run.from; from < run.to;) {
      const to = Math.min(run.to, from + size - count);
      // A client's runs follow one another, so a run continues the part's last one of its client.
      const last = part.find((r) => r.client === run.client);
      if (last) last.to = to;
      else part.push({ client: run.client, from, to });
      count += to - from;
      from = to;
      if (count === size) {
        parts.push(part);
        part = [];
        count = 0;
      }
    }
  }
  if (part.length) parts.push(part);
  return parts;
}

/** One update holding `runs` and an empty delete set, in Yjs's second encoding. */
function encodeRuns(clients: Map<number, Struct[]>, runs: Run[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV2();
  encoding.writeVarUint(encoder.restEncoder, runs.length);
  for (const { client, from, to } of [...runs].sort((a, b) => b.client - a.client)) {
    const structs = clients.get(client)!;
    encoding.writeVarUint(encoder.restEncoder, to - from);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[from]!.id.clock);
    for (let i = from; i < to; i++) structs[i]!.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/**
 * The whole document as updates (Yjs's second encoding) that, applied in order, give a document
 * equal to it. A document of at most `size` structs is one update, as `Y.encodeStateAsUpdateV2`
 * writes it.
 */
export function encodeStateInParts(doc: Y.Doc, size = STRUCTS_PER_PART): Uint8Array[] {
  const clients = doc.store.clients as Map<number, Struct[]>;
  let total = 0;
  for (const structs of clients.values()) total += structs.length;
  if (total <= size) return [Y.encodeStateAsUpdateV2(doc)];
  const parts = packed(causalRuns(clients), size).map((runs) => encodeRuns(clients, runs));
  // Against the document's own state vector, Yjs writes no structs: only the delete set, and
  // whatever it holds pending.
  parts.push(Y.encodeStateAsUpdateV2(doc, Y.encodeStateVector(doc)));
  return parts;
}
