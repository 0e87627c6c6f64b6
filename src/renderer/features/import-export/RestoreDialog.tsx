// Restore from backup: a backup from the data folder, or a file, opens as a new collection. The
// collection open now stays as it is, backed up first.
import { useEffect, useId, useState } from 'react';
import { BACKUP_REASON_LABELS, type BackupInfo } from '../../../shared/backups';
import { restoreAsNewCollection, type RestoreSource } from '../../data/backup-restore';
import { useLocalLibraryHandle, useWorkspace } from '../../data/hooks';
import { getDesktopApi } from '../../platform/desktop';
import { Dialog, DialogActions, DialogError } from '../shell/Dialog';
import './import-export.css';
import { linkCount } from './labels';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function RestoreDialog({ onClose }: { onClose: () => void }) {
  const fileId = useId();
  const { backups, error, busy, restore } = useRestore();

  return (
    <Dialog title="Restore from backup" onClose={onClose} wide>
      <p>
        A backup opens as a new collection on this device; the collection open now stays as it is.
        Curio writes a backup every day and before emptying Trash, undoing an import or a restore,
        into its data folder.
      </p>
      {backups === null && !error && <p className="settings__text">Looking for backups…</p>}
      {backups?.length === 0 && <p className="settings__text">There are no backups yet.</p>}
      {backups && backups.length > 0 && (
        <ul className="restore__list" aria-label="Backups">
          {backups.map((backup) => (
            <BackupRow key={backup.id} backup={backup} busy={busy} restore={restore} />
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={fileId}>Backup file</label>
        <input
          id={fileId}
          type="file"
          accept=".yjs,.json,application/json"
          disabled={busy !== null}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void restore({ kind: 'file', file });
          }}
        />
        <p className="field__hint">
          A backup’s collection.yjs, or a Curio JSON export, from this or another computer.
        </p>
      </div>
      <DialogError>{error}</DialogError>
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  );
}

/** The backups in the data folder, and restoring one of them (or a file) as a new collection. */
function useRestore() {
  const { app, collection } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The backup's id or the file's name while it is being restored.
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getDesktopApi()
      .listBackups()
      .then((list) => live && setBackups(list))
      .catch(
        (e: unknown) =>
          live && setError(`The backups could not be listed: ${(e as Error).message}`),
      );
    return () => {
      live = false;
    };
  }, []);

  const restore = async (source: RestoreSource) => {
    setError(null);
    setBusy(source.kind === 'backup' ? source.backup.id : source.file.name);
    try {
      await restoreAsNewCollection(app, library, collection.name, source);
      // Another collection means another database and document: start from a clean page, once
      // every change to this one is on disk.
      await library.saved();
      window.location.reload();
    } catch (e) {
      setBusy(null);
      setError((e as Error).message);
    }
  };
  return { backups, error, busy, restore };
}

function BackupRow({
  backup,
  busy,
  restore,
}: {
  backup: BackupInfo;
  busy: string | null;
  restore: (source: RestoreSource) => Promise<void>;
}) {
  const { collection } = useWorkspace();
  const date = when.format(backup.takenAt);
  return (
    <li className="restore__backup">
      <span className="restore__what">
        <strong>{backup.collectionName || 'Unnamed collection'}</strong>
        <span>
          {date} · {BACKUP_REASON_LABELS[backup.reason]} · {linkCount(backup.items)}
          {backup.collectionId === collection.id ? ' · this collection' : ''}
        </span>
      </span>
      <button
        type="button"
        className="button"
        aria-label={`Restore ${backup.collectionName} from ${date}`}
        disabled={busy !== null}
        onClick={() => void restore({ kind: 'backup', backup })}
      >
        {busy === backup.id ? 'Restoring…' : 'Restore'}
      </button>
    </li>
  );
}
