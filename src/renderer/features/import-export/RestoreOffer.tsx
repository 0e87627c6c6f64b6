// An empty library says so when the data folder holds backups: the library may be in another
// browser's storage, or a cleared one, and the backups are the way back.
import { useEffect, useState } from 'react';
import { useCounts } from '../../data/hooks';
import { getDesktopApi } from '../../platform/desktop';
import { useImportExport } from './context';

export function RestoreOffer() {
  const counts = useCounts();
  const { openRestore } = useImportExport();
  const empty = !counts.partial && counts.all + counts.trash === 0;
  const [backups, setBackups] = useState(0);

  useEffect(() => {
    if (!empty) return;
    let live = true;
    getDesktopApi()
      .listBackups()
      .then((list) => live && setBackups(list.length))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [empty]);

  if (!empty || backups === 0) return null;
  return (
    <div className="restore-offer">
      <p>
        Curio’s data folder holds {backups === 1 ? 'a backup' : `${backups} backups`}. If your links
        were in another browser, or its storage was cleared, they can come back from there.
      </p>
      <button type="button" className="button button--primary" onClick={openRestore}>
        Restore from backup
      </button>
    </div>
  );
}
