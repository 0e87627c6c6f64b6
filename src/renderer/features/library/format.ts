// How rows speak about themselves: the title to show when none was fetched, dates, and the
// sentence a screen reader hears for a row.
import { displayTitle } from '../../../shared/model';
import type { ItemRow } from '../../data/types';
import { UNREADABLE_LABEL } from './UnreadableMark';

export { displayTitle };

const sameYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const otherYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** Labels already made today; "Today 9:41" becomes a date tomorrow, so the cache is per day. */
const labels = { day: '', byTime: new Map<number, string>() };

export function formatAdded(at: number, now = Date.now()): string {
  const today = new Date(now);
  const day = today.toDateString();
  if (labels.day !== day) {
    labels.day = day;
    labels.byTime.clear();
  }
  let label = labels.byTime.get(at);
  if (label === undefined) {
    label = describeAdded(at, today);
    if (labels.byTime.size > 50_000) labels.byTime.clear();
    labels.byTime.set(at, label);
  }
  return label;
}

function describeAdded(at: number, today: Date): string {
  const date = new Date(at);
  if (date.toDateString() === today.toDateString()) return `Today ${timeOfDay.format(date)}`;
  return date.getFullYear() === today.getFullYear()
    ? sameYear.format(date)
    : otherYear.format(date);
}

export function rowLabel(row: ItemRow): string {
  const parts = [
    displayTitle(row),
    row.host,
    row.status === 'trash' ? 'in Trash' : row.readAt ? 'read' : 'unread',
  ];
  parts.push(`added ${formatAdded(row.addedAt)}`);
  if (row.tags.length) parts.push(row.tags.map((tag) => `#${tag}`).join(' '));
  if (row.unreadable?.length) parts.push(UNREADABLE_LABEL.toLowerCase());
  return parts.join(', ');
}
