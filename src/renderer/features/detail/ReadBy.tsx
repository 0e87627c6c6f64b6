// Read state is per member: "Read by you, Ana" tells a team who has already looked at a link.
import { useLibrary, useMembers } from '../../data/hooks';

export function ReadBy({ readBy }: { readBy: Record<string, number> }) {
  const library = useLibrary();
  const members = useMembers();
  const readers = Object.entries(readBy)
    .sort(([, a], [, b]) => a - b)
    .map(([memberId]) =>
      memberId === library.me.id
        ? 'you'
        : (members.find((m) => m.id === memberId)?.name ?? 'a former member'),
    );
  if (readers.length === 0) return <p className="detail__readby">Nobody has read this yet.</p>;
  return <p className="detail__readby">Read by {readers.join(', ')}</p>;
}
