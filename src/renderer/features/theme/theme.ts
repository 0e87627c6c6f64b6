// Light, dark or follow the system. The choice is a local preference (this device only), kept in
// localStorage and applied as `data-theme` on <html>; styles/base.css does the rest.
import { useCallback, useSyncExternalStore } from 'react';
import { Observable } from '../../data/observable';

export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'curio.theme';

/** Tells the open windows' hooks that the stored choice changed. */
class ChoiceChanges extends Observable {
  announce(): void {
    this.changed();
  }
}
const choiceChanges = new ChoiceChanges();

function readChoice(): ThemeChoice {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function applyStoredTheme(): void {
  const choice = readChoice();
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, choice);
  applyStoredTheme();
  choiceChanges.announce();
}

/** The stored choice and the theme actually showing (system resolved). */
export function useTheme(): {
  choice: ThemeChoice;
  resolved: 'light' | 'dark';
  setTheme: (c: ThemeChoice) => void;
} {
  const choice = useSyncExternalStore(choiceChanges.subscribe, readChoice);
  const prefersDark = useSyncExternalStore(subscribeToScheme, () => darkQuery().matches);
  const resolved = choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
  return { choice, resolved, setTheme: useCallback((c: ThemeChoice) => setTheme(c), []) };
}

function darkQuery(): MediaQueryList {
  return window.matchMedia('(prefers-color-scheme: dark)');
}

function subscribeToScheme(listener: () => void): () => void {
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
