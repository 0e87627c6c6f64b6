// The app's keyboard layer. Single keys act only when focus is not in a text field or the note
// editor, and not while a dialog is open; undo/redo follow the same rule so that Ctrl+Z in a note
// stays the note's own undo.
import { useEffect, useRef } from 'react';
import { isTextEntry } from './focus';

export interface ShortcutHandlers {
  move: (delta: number) => void;
  toggleSelect: () => void;
  toggleRead: () => void;
  edit: () => void;
  editTags: () => void;
  focusSearch: () => void;
  escape: () => void;
  open: () => void;
  openInBrowser: () => void;
  fetchDetails: () => void;
  trash: () => void;
  add: () => void;
  publish: () => void;
  help: () => void;
  undo: () => void;
  redo: () => void;
}

const SINGLE_KEYS: Record<string, Exclude<keyof ShortcutHandlers, 'move'>> = {
  x: 'toggleSelect',
  r: 'toggleRead',
  e: 'edit',
  t: 'editTags',
  '#': 'editTags',
  '/': 'focusSearch',
  Escape: 'escape',
  Enter: 'open',
  o: 'openInBrowser',
  f: 'fetchDetails',
  Delete: 'trash',
  a: 'add',
  p: 'publish',
  '?': 'help',
};

export function useShortcuts(handlers: ShortcutHandlers): void {
  // Handlers change every render; the listener is installed once and reads the latest ones.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (isTextEntry(event.target) || document.querySelector('dialog[open]')) return;
      const h = latest.current;
      const key = event.key;
      if ((event.ctrlKey || event.metaKey) && !event.altKey) {
        const lower = key.toLowerCase();
        if (lower === 'z') {
          event.preventDefault();
          if (event.shiftKey) h.redo();
          else h.undo();
        } else if (lower === 'y' && event.ctrlKey) {
          event.preventDefault();
          h.redo();
        }
        return;
      }
      if (event.altKey || event.metaKey || event.ctrlKey) return;
      // Enter on a focused button or link is that control's own business.
      if (
        key === 'Enter' &&
        event.target instanceof Element &&
        event.target.closest('button, a, summary')
      )
        return;
      if (key === 'j' || key === 'ArrowDown') h.move(1);
      else if (key === 'k' || key === 'ArrowUp') h.move(-1);
      else {
        const action = SINGLE_KEYS[key];
        if (!action) return;
        h[action]();
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
