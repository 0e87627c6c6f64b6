// Settings → Import & export: the buttons for each, a backup by hand, and the imports made so
// far, each with its Undo import.
import { useState } from 'react';
import { IMPORT_FORMATS, type ImportFormat } from '../../../shared/import';
import { backUp } from '../../data/backup';
import { useImportHistory } from '../../data/import-history';
import {
  useLocalLibraryHandle,
  useMembers,
  useReadOnlyReason,
  useWorkspace,
} from '../../data/hooks';
import { SettingsSection } from '../settings/SettingsSection';
import { useToast } from '../shell/Toast';
import { useImportExport } from './context';
import { useUndoImport } from './useUndoImport';
import './import-export.css';
import { linkCount } from './labels';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const formatName = (format: string) =>
  format in IMPORT_FORMATS ? IMPORT_FORMATS[format as ImportFormat] : format;

export function ImportExportSettings() {
  const { openImport, openExport, openRestore } = useImportExport();
  const library = useLocalLibraryHandle();
  const { collection } = useWorkspace();
  const readOnly = useReadOnlyReason();
  const toast = useToast();
  const [backingUp, setBackingUp] = useState(false);

  const backUpNow = async () => {
    setBackingUp(true);
    try {
      const info = await backUp(library, collection.name, 'by-hand');
      toast({ text: `Backed up ${linkCount(info.items)} to Curio's data folder` });
    } catch (error) {
      toast({ text: `The backup could not be written: ${(error as Error).message}` });
    } finally {
      setBackingUp(false);
    }
  };

  return (
    <SettingsSection title="Import & export">
      <div className="import-settings__actions">
        <button
          type="button"
          className="button"
          onClick={() => openImport()}
          disabled={readOnly !== null}
          title={readOnly ?? 'Import links from a file or a Bluesky account'}
        >
          Import
        </button>
        <button type="button" className="button" onClick={openExport}>
          Export
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void backUpNow()}
          disabled={backingUp}
        >
          {backingUp ? 'Backing up…' : 'Back up now'}
        </button>
        <button type="button" className="button" onClick={openRestore}>
          Restore from backup
        </button>
      </div>
      <p className="settings__text">
        Curio backs this collection up into its data folder every day, and before emptying Trash,
        undoing an import or restoring; it keeps the last 7 days and 4 weeks.
      </p>
      <PastImports />
    </SettingsSection>
  );
}

function PastImports() {
  const imports = useImportHistory();
  const members = useMembers();
  const undo = useUndoImport();
  const readOnly = useReadOnlyReason();
  if (!imports.length) return null;
  const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? 'someone';
  return (
    <ul className="import-settings__history" aria-label="Imports">
      {imports.map((record) => {
        const what = `${record.source ?? formatName(record.format)}, ${when.format(record.at)} by ${nameOf(record.by)}`;
        return (
          <li key={record.id} className="import-settings__import" aria-label={what}>
            <span className="import-settings__what">
              <strong>{record.source ?? formatName(record.format)}</strong>
              <span>
                {when.format(record.at)} by {nameOf(record.by)} · {linkCount(record.created.length)}{' '}
                new
                {record.merged ? `, ${linkCount(record.merged)} added to` : ''}
              </span>
            </span>
            {record.undone ? (
              <span className="import-settings__undone">
                Undone {when.format(record.undone.at)}
              </span>
            ) : (
              <button
                type="button"
                className="button"
                disabled={readOnly !== null}
                onClick={() => undo(record.id)}
              >
                Undo import
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
