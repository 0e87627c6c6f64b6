// What each sidebar view is called and what it says when empty (which rows belong to it is the
// row store's: see ../../data/rows).
import type { LibraryView } from '../../data/types';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const PASTE_KEYS = isMac ? '⌘V' : 'Ctrl+V';

export function viewTitle(view: LibraryView): string {
  switch (view) {
    case 'unread':
      return 'Unread';
    case 'all':
      return 'All links';
    case 'read':
      return 'Read';
    case 'trash':
      return 'Trash';
    case 'published':
      return 'Published';
    case 'unpublished':
      return 'Not yet published';
    default:
      return `#${view.slice('tag:'.length)}`;
  }
}

export function emptyMessage(view: LibraryView): string {
  const add = `Press Add link or paste a URL (${PASTE_KEYS}) anywhere.`;
  switch (view) {
    case 'unread':
      return `No unread links. ${add}`;
    case 'all':
      return `Your library is empty. ${add}`;
    case 'read':
      return 'Nothing read yet. Press r or “Mark as read” on a link you have finished.';
    case 'trash':
      return 'Trash is empty. Links you move to Trash wait here until you empty it.';
    case 'published':
      return 'Nothing published yet. Select links and press Publish (p) to post them to Bluesky or your site.';
    case 'unpublished':
      return 'Every link is published.';
    default:
      return `No links tagged ${viewTitle(view)}. Add the tag from a link’s details (press t).`;
  }
}
