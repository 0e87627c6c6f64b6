// How the reader sets its text: size, line width and light or dark. A local preference (this
// device only), kept in localStorage like the app's theme.
import { useCallback, useSyncExternalStore } from 'react';
import { z } from 'zod';
import { Observable } from '../../data/observable';

const ReaderPrefsSchema = z.object({
  size: z.number().int().min(14).max(30),
  width: z.enum(['narrow', 'medium', 'wide']),
  theme: z.enum(['app', 'light', 'dark']),
});
export type ReaderPrefs = z.infer<typeof ReaderPrefsSchema>;

const DEFAULTS: ReaderPrefs = { size: 19, width: 'medium', theme: 'app' };
const STORAGE_KEY = 'curio.reader';
export const LINE_WIDTHS: Record<ReaderPrefs['width'], string> = {
  narrow: '32em',
  medium: '38em',
  wide: '48em',
};

class PrefChanges extends Observable {
  announce(): void {
    this.changed();
  }
}
const changes = new PrefChanges();
let cached: { raw: string | null; prefs: ReaderPrefs } | null = null;

function readPrefs(): ReaderPrefs {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (cached?.raw === raw) return cached.prefs;
  let prefs = DEFAULTS;
  try {
    const parsed = ReaderPrefsSchema.safeParse(JSON.parse(raw ?? 'null'));
    if (parsed.success) prefs = parsed.data;
  } catch {
    // Not JSON: the defaults stand.
  }
  cached = { raw, prefs };
  return prefs;
}

export function useReaderPrefs(): [ReaderPrefs, (patch: Partial<ReaderPrefs>) => void] {
  const prefs = useSyncExternalStore(changes.subscribe, readPrefs);
  const set = useCallback((patch: Partial<ReaderPrefs>) => {
    const next = ReaderPrefsSchema.safeParse({ ...readPrefs(), ...patch });
    if (!next.success) return;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next.data));
    changes.announce();
  }, []);
  return [prefs, set];
}
