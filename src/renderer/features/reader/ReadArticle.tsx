// The detail pane's way into the reader: "Read", and how the link's offline copy stands.
import { useReader } from './ReaderContext';
import { OfflineState } from './OfflineState';
import './reader.css';

export function ReadArticle({ id }: { id: string }) {
  const reader = useReader();
  const open = reader.openId === id;
  return (
    <div className="detail__read">
      <button
        type="button"
        className="button"
        aria-pressed={open}
        title="Read the article kept on this device (Enter)"
        onClick={() => (open ? reader.close() : reader.open(id))}
      >
        Read
      </button>
      <OfflineState id={id} />
    </div>
  );
}
