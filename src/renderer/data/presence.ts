// Presence through y-protocols awareness: who else is online, and which link each has open. This
// member's state is `{ user: { id, name, color }, itemId }`; other members' states arrive from the
// hub as anything at all, so they are read defensively and hostile values are dropped.
import type { Awareness } from 'y-protocols/awareness';
import type { Member } from '../../shared/model';
import { Observable } from './observable';

export interface Presence {
  clientId: number;
  memberId: string;
  name: string;
  color: string;
  /** The item this member has open, if any. */
  itemId: string | null;
}

function readOthers(awareness: Awareness): Presence[] {
  const out: Presence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
    if (!user || typeof user.name !== 'string' || typeof user.color !== 'string') continue;
    const itemId = (state as { itemId?: unknown }).itemId;
    out.push({
      clientId,
      memberId: typeof user.id === 'string' ? user.id : String(clientId),
      name: user.name.slice(0, 80),
      color: /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#888888',
      itemId: typeof itemId === 'string' ? itemId : null,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

export class MemberPresence extends Observable {
  private others: Presence[] = [];
  private key = '[]';

  constructor(
    readonly awareness: Awareness,
    me: Member,
  ) {
    super();
    awareness.setLocalState({ user: userOf(me), itemId: null });
    awareness.on('change', this.refresh);
  }

  /** The other members online now, the same array until something about them changes. */
  get = (): Presence[] => this.others;

  private readonly refresh = (): void => {
    const others = readOthers(this.awareness);
    const key = JSON.stringify(others);
    if (key === this.key) return;
    this.key = key;
    this.others = others;
    this.changed();
  };

  setUser(member: Member): void {
    this.awareness.setLocalStateField('user', userOf(member));
  }

  /** Tells the other members which link this member has open (null: none). */
  setOpenItem(itemId: string | null): void {
    if (this.awareness.getLocalState()?.itemId !== itemId)
      this.awareness.setLocalStateField('itemId', itemId);
  }

  override destroy(): void {
    this.awareness.off('change', this.refresh);
    super.destroy();
  }
}

function userOf(member: Member) {
  return { id: member.id, name: member.name, color: member.color };
}
