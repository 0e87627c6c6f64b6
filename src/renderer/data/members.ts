// The collection's members, by name, as the document lists them (each writes only their own key);
// records that cannot be read are left out (readMembers).
import type * as Y from 'yjs';
import { readMembers } from '../../shared/collection';
import type { Member } from '../../shared/model';
import { Observable } from './observable';

export class MemberList extends Observable {
  private value: Member[] = [];

  constructor(private readonly map: Y.Map<unknown>) {
    super();
    this.refresh();
    map.observe(this.refresh);
  }

  private readonly refresh = (): void => {
    this.value = readMembers(this.map);
    this.changed();
  };

  get = (): Member[] => this.value;

  override destroy(): void {
    this.map.unobserve(this.refresh);
    super.destroy();
  }
}
