// The collection's members, by name, as the document lists them (each writes only their own key).
import type * as Y from 'yjs';
import type { Member } from '../../shared/model';
import { Observable } from './observable';

export class MemberList extends Observable {
  private value: Member[] = [];

  constructor(private readonly map: Y.Map<Member>) {
    super();
    this.refresh();
    map.observe(this.refresh);
  }

  private readonly refresh = (): void => {
    this.value = [...this.map.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.changed();
  };

  get = (): Member[] => this.value;

  override destroy(): void {
    this.map.unobserve(this.refresh);
    super.destroy();
  }
}
