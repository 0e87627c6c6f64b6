// Always visible: whether this collection is local only, offline, connecting or synced, how many
// local changes the hub has not confirmed yet, and whether the hub withdrew this device's access.
import { useAccess, useSaveState, useSyncStatus } from '../../data/hooks';
import type { Access } from '../../data/access';
import './sync.css';

const NEW_INVITE = 'Ask a maintainer for a new invite and paste it in Settings → Sync.';

function describe(status: ReturnType<typeof useSyncStatus>, pendingSaves: number, access: Access) {
  if (access.kind === 'withdrawn' || access.kind === 'expired')
    return {
      tone: 'error',
      label:
        access.kind === 'expired'
          ? 'Your access to this collection expired'
          : 'Your access to this collection was withdrawn',
      title: `The hub no longer accepts your invite. ${NEW_INVITE}`,
    };
  if (!status)
    return {
      tone: 'local',
      label: pendingSaves ? 'Saving…' : 'Saved on this device',
      title: 'Not shared: everything is saved on this device. Settings → Sync shares it.',
    };
  const waiting = status.unconfirmed
    ? ` · ${status.unconfirmed} ${status.unconfirmed === 1 ? 'change' : 'changes'} not on the hub yet`
    : '';
  switch (status.state) {
    case 'synced':
      return {
        tone: waiting ? 'busy' : 'ok',
        label: waiting ? `Syncing${waiting}` : 'Synced',
        title: 'Connected to the hub.',
      };
    case 'connecting':
      return {
        tone: 'busy',
        label: `Connecting…${waiting}`,
        title: 'Reaching the hub; your changes are saved on this device.',
      };
    case 'refused':
      return {
        tone: 'error',
        label: 'Sync refused',
        title: status.error ?? 'The hub refused this invite.',
      };
    default:
      return {
        tone: 'off',
        label: `Offline${waiting}`,
        title: 'The hub cannot be reached. Keep working: changes sync when it is back.',
      };
  }
}

export function SyncStatusIndicator() {
  const status = useSyncStatus();
  const { pending } = useSaveState();
  const { tone, label, title } = describe(status, pending, useAccess());
  return (
    <div
      className={`sync-status sync-status--${tone}`}
      role="status"
      aria-label={`Sync: ${label}`}
      title={title}
    >
      <span className="sync-status__dot" aria-hidden="true" />
      <span className="sync-status__label">{label}</span>
    </div>
  );
}
