// Who else is here: one avatar per member online, with the item they have open.
import { usePresence, useRowLookup } from '../../data/hooks';
import { displayTitle } from '../library/format';
import './sync.css';

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    (parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')
  ).toUpperCase();
}

export function PresenceAvatars() {
  const others = usePresence();
  const rowOf = useRowLookup();
  if (!others.length) return null;
  const titleOf = (id: string | null) => {
    const row = id ? rowOf(id) : undefined;
    return row ? displayTitle(row) : undefined;
  };
  return (
    <ul className="presence" aria-label="Members online">
      {others.map((p) => {
        const open = titleOf(p.itemId);
        const label = open ? `${p.name} is reading “${open}”` : `${p.name} is online`;
        return (
          <li
            key={p.clientId}
            className="presence__avatar"
            style={{ background: p.color }}
            title={label}
            aria-label={label}
          >
            {initials(p.name)}
          </li>
        );
      })}
    </ul>
  );
}

/** Small avatars of the members who have this item open, for a row or the detail pane. */
export function ItemPresence({ itemId }: { itemId: string }) {
  const here = usePresence().filter((p) => p.itemId === itemId);
  if (!here.length) return null;
  return (
    <span className="item-presence" aria-label={`Open by ${here.map((p) => p.name).join(', ')}`}>
      {here.map((p) => (
        <span
          key={p.clientId}
          className="item-presence__dot"
          style={{ background: p.color }}
          title={`${p.name} has this open`}
        >
          {initials(p.name)}
        </span>
      ))}
    </span>
  );
}
