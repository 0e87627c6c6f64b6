// The quiet mark on a link some of whose stored details could not be read (another member's
// client wrote something Curio does not understand): the row shows safe defaults instead.
import type { ItemRow, UnreadablePart } from '../../../shared/model';

const PART_NAMES: Record<UnreadablePart, string> = {
  title: 'title',
  description: 'description',
  image: 'preview image',
  addedAt: 'date added',
  addedBy: 'who added it',
  deletedAt: 'Trash state',
  deletedBy: 'who moved it to Trash',
  tags: 'some tags',
  readBy: 'some read marks',
  publications: 'publishing record',
};

export const UNREADABLE_LABEL = 'Some details could not be read';

/** What could not be read, in the curator's words. */
export function unreadableSummary(parts: readonly UnreadablePart[]): string {
  return `${UNREADABLE_LABEL}: ${parts.map((part) => PART_NAMES[part]).join(', ')}.`;
}

export function UnreadableMark({ row }: { row: Pick<ItemRow, 'unreadable'> }) {
  if (!row.unreadable?.length) return null;
  return (
    <span
      className="unreadable-mark"
      role="img"
      aria-label={UNREADABLE_LABEL}
      title={unreadableSummary(row.unreadable)}
    >
      ?
    </span>
  );
}
