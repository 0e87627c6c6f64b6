// Presence (y-protocols awareness) as the hub forwards it. Each client's state is a small JSON
// object whose `user.id` is the member its connection's token was made out to; the hub drops
// any other entry (src/hub/presence-gate.ts), so no member can speak as another.
import { z } from 'zod';

export const PRESENCE_LIMITS = {
  /** One client's state, as UTF-8 JSON. */
  stateBytes: 8 * 1024,
  /** Nesting of arrays and objects in one state. */
  depth: 16,
  /** One awareness message, all its entries together. */
  updateBytes: 64 * 1024,
  /** Awareness client ids one connection may speak for (a tab has one). */
  clientsPerConnection: 4,
} as const;

export const PresenceStateSchema = z.looseObject({
  user: z.looseObject({ id: z.string().min(1).max(128) }),
});

/** The member a presence state speaks for, or null when it does not have the required shape. */
export function presenceMember(state: unknown): string | null {
  const parsed = PresenceStateSchema.safeParse(state);
  return parsed.success ? parsed.data.user.id : null;
}

/**
 * True when the JSON text nests arrays and objects no deeper than `max`. Reads the text once,
 * without parsing it, so a hostile state costs no recursion anywhere.
 */
export function jsonNestingWithin(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return false;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return true;
}

/** The part of y-protocols' Awareness this module uses. */
export interface LocalPresence {
  getLocalState(): Record<string, unknown> | null;
  setLocalStateField(field: string, value: unknown): void;
  on(event: 'change', listener: () => void): void;
  off(event: 'change', listener: () => void): void;
}

/**
 * Keeps the local presence's `user.id` equal to `member` (whatever else sets `user`), so the hub
 * forwards it. Returns a function that stops.
 */
export function keepPresenceAs(awareness: LocalPresence, member: string): () => void {
  const align = () => {
    const user = awareness.getLocalState()?.user;
    if (user && typeof user === 'object' && (user as { id?: unknown }).id !== member) {
      awareness.setLocalStateField('user', { ...user, id: member });
    }
  };
  align();
  awareness.on('change', align);
  return () => awareness.off('change', align);
}
