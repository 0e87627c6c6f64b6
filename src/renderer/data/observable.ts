// How the data layer says that something changed: lib0's ObservableV2, the event emitter Yjs and
// y-websocket already use. `Observable` has one `change` event and a `subscribe` that has the shape
// React's useSyncExternalStore wants.
import { ObservableV2 } from 'lib0/observable';

export type Unsubscribe = () => void;

export class Observable extends ObservableV2<{ change: () => void }> {
  /** Calls `listener` after every change until the returned function is called. */
  readonly subscribe = (listener: () => void): Unsubscribe => {
    this.on('change', listener);
    return () => this.off('change', listener);
  };

  protected changed(): void {
    this.emit('change', []);
  }
}
