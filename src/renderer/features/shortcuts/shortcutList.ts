// Every keyboard shortcut, as the ? dialog shows it. The handler in useShortcuts follows this list.
const mod =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

export interface ShortcutGroup {
  title: string;
  shortcuts: Array<{ keys: string[]; does: string }>;
}

export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: 'Moving around',
    shortcuts: [
      { keys: ['j'], does: 'Next link' },
      { keys: ['k'], does: 'Previous link' },
      { keys: ['Enter'], does: 'Read the article kept offline, or open the link’s details' },
      { keys: ['o'], does: 'Read the article kept offline, or open the link in your browser' },
      { keys: ['/'], does: 'Search' },
      { keys: ['Esc'], does: 'Clear search and selection, then close the link' },
    ],
  },
  {
    title: 'Acting on links',
    shortcuts: [
      { keys: ['x'], does: 'Select or deselect the current link' },
      { keys: ['Shift', 'click'], does: 'Select a range' },
      { keys: [mod, 'click'], does: 'Add to or remove from the selection' },
      { keys: ['r'], does: 'Mark as read / unread' },
      { keys: ['e'], does: 'Edit title, description and tags' },
      { keys: ['t'], does: 'Edit tags (also #)' },
      { keys: ['f'], does: 'Fetch details again (title and description)' },
      { keys: ['Delete'], does: 'Move to Trash' },
      { keys: ['a'], does: 'Add link (or paste a URL anywhere)' },
      { keys: ['p'], does: 'Publish to Bluesky and the site' },
    ],
  },
  {
    title: 'Everywhere',
    shortcuts: [
      { keys: [mod, 'Z'], does: 'Undo' },
      { keys: [mod, 'Shift', 'Z'], does: 'Redo (also Ctrl Y)' },
      { keys: ['?'], does: 'Show this list' },
    ],
  },
];
