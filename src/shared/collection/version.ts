// Which version of the document schema a collection was written in. Every write states the
// version its writer knows (never lowering one already there), so a later client can tell what
// it is reading and migrate; a client that finds a version newer than its own only reads.
import type * as Y from 'yjs';
import { maps, SCHEMA_VERSION } from './schema';

const KEY = 'schemaVersion';

/**
 * `version` is what the document says it was written in (1 when it says nothing: written before
 * versions were). Not writable means newer than this client: show it, change nothing, and say so.
 */
export type SchemaCheck =
  { version: number; writable: true } | { version: number; writable: false; message: string };

/** The version stored in the document, when it is one: a positive integer. */
function storedVersion(doc: Y.Doc): number | null {
  const value = maps(doc).meta.get(KEY);
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Whether this client may write to the document, and if not, what to say. */
export function schemaCheck(doc: Y.Doc, known: number = SCHEMA_VERSION): SchemaCheck {
  const version = storedVersion(doc) ?? 1;
  if (version <= known) return { version, writable: true };
  return {
    version,
    writable: false,
    message:
      `This collection was saved by a newer version of Curio (data version ${version}; this app ` +
      `knows up to ${known}). You can read it; update Curio to change it.`,
  };
}

export class NewerSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NewerSchemaError';
  }
}

/** Inside a write: refuses a newer document, and records this client's version if it is newer. */
export function claimSchemaVersion(doc: Y.Doc): void {
  const check = schemaCheck(doc);
  if (!check.writable) throw new NewerSchemaError(check.message);
  if (storedVersion(doc) !== SCHEMA_VERSION) maps(doc).meta.set(KEY, SCHEMA_VERSION);
}
