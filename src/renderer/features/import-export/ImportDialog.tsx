// Import: choose or drop a file, or name a Bluesky account; it is read off the main thread with a
// progress bar and a Cancel, then previewed. Only "Import N links" changes the library.
import { useEffect, useId, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { DEFAULT_BLUESKY_SERVICE } from '../../../shared/publish/settings';
import { readOnlyReason } from '../../data/access';
import { useLocalLibraryHandle, useReadOnlyReason, useWorkspace } from '../../data/hooks';
import { readImport } from '../../data/import-reader';
import { ImportSession, type ImportState } from '../../data/import-session';
import type { LocalLibrary } from '../../data/library';
import { loadBlueskySettings } from '../../data/publish-settings';
import { Dialog, DialogActions } from '../shell/Dialog';
import { useToast } from '../shell/Toast';
import { ImportPreviewView, importCount } from './ImportPreview';
import { useUndoImport } from './useUndoImport';
import './import-export.css';
import { linkCount } from './labels';

function sessionFor(library: LocalLibrary): ImportSession {
  return new ImportSession(
    {
      readOnlyReason: () => readOnlyReason(library.access.get()),
      whenReady: library.whenReady,
      row: (id) => library.store.get(id),
      commitImport: (input) => library.commitImport(input),
    },
    readImport,
  );
}

/** What the curator is told once an import is in. */
function importedText(created: number, merged: number): string {
  if (!merged) return `Imported ${linkCount(created)}`;
  const added = `added to ${linkCount(merged)} already in your library`;
  return created ? `Imported ${linkCount(created)}; ${added}` : `Imported: ${added}`;
}

export function ImportDialog({ file, onClose }: { file?: File; onClose: () => void }) {
  const library = useLocalLibraryHandle();
  const toast = useToast();
  const undoImport = useUndoImport();
  const session = useMemo(() => sessionFor(library), [library]);
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const [committing, setCommitting] = useState(false);

  useEffect(() => {
    if (file) void session.start({ kind: 'file', file }, file.name);
    return () => session.cancel();
  }, [session, file]);

  const close = () => {
    session.cancel();
    onClose();
  };

  const confirm = () => {
    setCommitting(true);
    // The commit holds the window for as long as it takes: let "Importing…" paint first.
    requestAnimationFrame(() =>
      setTimeout(() => {
        const outcome = session.confirm();
        setCommitting(false);
        if (!outcome) return;
        onClose();
        const { record } = outcome;
        toast({
          text: importedText(outcome.created, outcome.merged),
          ...(record ? { action: { label: 'Undo import', run: () => undoImport(record.id) } } : {}),
        });
      }),
    );
  };

  return (
    <Dialog title="Import" onClose={close} wide>
      <ImportStep
        state={state}
        session={session}
        committing={committing}
        onConfirm={confirm}
        onClose={close}
      />
    </Dialog>
  );
}

interface StepProps {
  state: ImportState;
  session: ImportSession;
  committing: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

function ImportStep({ state, session, committing, onConfirm, onClose }: StepProps) {
  switch (state.step) {
    case 'choose':
    case 'done':
      return <ChooseSource session={session} onClose={onClose} />;
    case 'reading':
      return (
        <>
          <p>Reading {state.source}…</p>
          <progress
            className="import__progress"
            aria-label={`Reading ${state.source}`}
            max={1}
            value={state.fraction}
          />
          <DialogActions>
            <button type="button" className="button" onClick={() => session.cancel()}>
              Cancel
            </button>
          </DialogActions>
        </>
      );
    case 'failed':
      return (
        <>
          <p className="dialog__error" role="alert">
            {state.source}: {state.message}
          </p>
          <DialogActions>
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={() => session.cancel()}
            >
              Choose another file
            </button>
          </DialogActions>
        </>
      );
    case 'preview': {
      const count = importCount(state);
      return (
        <>
          <ImportPreviewView state={state} />
          <DialogActions>
            <button
              type="button"
              className="button"
              onClick={() => session.cancel()}
              disabled={committing}
            >
              Cancel
            </button>
            {count > 0 && (
              <button
                type="button"
                className="button button--primary"
                onClick={onConfirm}
                disabled={committing}
                autoFocus
              >
                {committing ? 'Importing…' : `Import ${linkCount(count)}`}
              </button>
            )}
          </DialogActions>
        </>
      );
    }
  }
}

function ChooseSource({ session, onClose }: { session: ImportSession; onClose: () => void }) {
  const readOnly = useReadOnlyReason();
  const fileId = useId();

  return (
    <>
      {readOnly && (
        <p className="dialog__error" role="note">
          {readOnly} An import would change it, so none can be made here.
        </p>
      )}
      <div className="field">
        <label htmlFor={fileId}>Import file</label>
        <input
          id={fileId}
          type="file"
          disabled={readOnly !== null}
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (chosen) void session.start({ kind: 'file', file: chosen }, chosen.name);
          }}
        />
        <p className="field__hint">
          A bookmarks file from any browser; exports of Pocket, Raindrop.io, Instapaper, Matter,
          Omnivore, Karakeep or Linkwarden; RSS, Atom, JSON Feed or OPML; text or Markdown with
          links; or a Curio export. You can also drop the file on the window.
        </p>
      </div>
      <BlueskySource session={session} idPrefix={fileId} disabled={readOnly !== null} />
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </>
  );
}

/** A Bluesky account to import from, filled in from the account Curio publishes with. */
function BlueskySource({
  session,
  idPrefix,
  disabled,
}: {
  session: ImportSession;
  idPrefix: string;
  disabled: boolean;
}) {
  const { app } = useWorkspace();
  const library = useLocalLibraryHandle();
  const [handle, setHandle] = useState('');
  const [serviceUrl, setServiceUrl] = useState(DEFAULT_BLUESKY_SERVICE);

  useEffect(() => {
    let live = true;
    void loadBlueskySettings(app, library.collectionId).then((settings) => {
      if (!live || !settings) return;
      setServiceUrl(settings.serviceUrl);
      setHandle((typed) => typed || settings.identifier);
    });
    return () => {
      live = false;
    };
  }, [app, library.collectionId]);

  const fromBluesky = (event: FormEvent) => {
    event.preventDefault();
    const account = { handle: handle.trim().replace(/^@/, ''), serviceUrl: serviceUrl.trim() };
    void session.start({ kind: 'bluesky', account }, `@${account.handle} on Bluesky`);
  };

  return (
    <form className="import__bluesky" onSubmit={fromBluesky}>
      <fieldset disabled={disabled}>
        <legend>Posts with link cards from a Bluesky account</legend>
        <div className="import__bluesky-fields">
          <div className="field">
            <label htmlFor={`${idPrefix}-handle`}>Handle</label>
            <input
              id={`${idPrefix}-handle`}
              value={handle}
              placeholder="you.bsky.social"
              spellCheck={false}
              onChange={(e) => setHandle(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${idPrefix}-service`}>Service URL</label>
            <input
              id={`${idPrefix}-service`}
              type="url"
              value={serviceUrl}
              spellCheck={false}
              onChange={(e) => setServiceUrl(e.target.value)}
            />
          </div>
        </div>
        <button type="submit" className="button" disabled={!handle.trim() || !serviceUrl.trim()}>
          Import from Bluesky
        </button>
      </fieldset>
    </form>
  );
}
