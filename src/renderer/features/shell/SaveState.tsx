// Tells the curator their changes are on disk: "Saving…" while the update log has writes in flight.
// When the collection is not shared the sync indicator already says this ("Saved on this device").
import { useSaveState, useSyncStatus } from '../../data/hooks';

export function SaveState() {
  const { pending } = useSaveState();
  const shared = useSyncStatus() !== null;
  if (!shared) return null;
  return (
    <span
      className={pending ? 'save-state save-state--saving' : 'save-state'}
      role="status"
      aria-live="polite"
    >
      {pending ? 'Saving…' : 'Saved'}
    </span>
  );
}
