// Links dragged onto the window (from a page, the address bar, or a browser tab) are saved.
// Files are not ours: a drop that carries files is left to the import that takes them, and a drop
// into a text field stays that field's own.
import { useEffect } from 'react';
import { isTextEntry } from '../shortcuts/focus';
import { looksLikeLinks } from './linkLines';

/** The links a drop carries, one per line: the uri-list when there is one, else the text. */
export function droppedLinks(data: Pick<DataTransfer, 'getData' | 'types'>): string | null {
  if (data.types.includes('Files')) return null;
  const uriList = data.types.includes('text/uri-list') ? data.getData('text/uri-list') : '';
  // RFC 2483: one URI a line, lines starting with # are comments.
  const fromList = uriList
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .join('\n');
  const text =
    fromList || (data.types.includes('text/plain') ? data.getData('text/plain').trim() : '');
  return text && looksLikeLinks(text) ? text.replace(/\r\n/g, '\n') : null;
}

function carriesLinks(data: DataTransfer | null): boolean {
  if (!data || data.types.includes('Files')) return false;
  return data.types.includes('text/uri-list') || data.types.includes('text/plain');
}

export function useDropLinks(onLinks: (text: string) => void): void {
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (isTextEntry(event.target) || !carriesLinks(event.dataTransfer)) return;
      // Without this the browser would open the link in place of the app.
      event.preventDefault();
      event.dataTransfer!.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (isTextEntry(event.target) || !event.dataTransfer || !carriesLinks(event.dataTransfer))
        return;
      event.preventDefault();
      if (document.querySelector('dialog[open]')) return;
      const links = droppedLinks(event.dataTransfer);
      if (links) onLinks(links);
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
    };
  }, [onLinks]);
}
