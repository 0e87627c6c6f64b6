// Pasting a link anywhere outside a text field opens Add link with it filled in.
import { useEffect } from 'react';
import { isTextEntry } from '../shortcuts/focus';
import { looksLikeLinks } from './linkLines';

export function usePasteLinks(onLinks: (text: string) => void): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      if (isTextEntry(event.target) || document.querySelector('dialog[open]')) return;
      const text = event.clipboardData?.getData('text/plain')?.trim() ?? '';
      if (!looksLikeLinks(text)) return;
      event.preventDefault();
      onLinks(text.replace(/\r\n/g, '\n'));
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [onLinks]);
}
