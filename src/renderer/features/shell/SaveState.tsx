// Tells the curator their changes are on disk: "Saving…" while the update log has writes in flight.
import { useSaveState } from '../../data/hooks';

export function SaveState() {
  const { pending } = useSaveState();
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
