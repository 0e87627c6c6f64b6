// The imports recorded in the open collection, newest first, kept up to date as the document
// changes (here or through sync), for the list with its "Undo import" buttons.
import { useSyncExternalStore } from 'react';
import { ROOT, listImports, type ImportView } from '../../shared/collection';
import { useLocalLibraryHandle } from './hooks';
import type { LocalLibrary } from './library';
import { Observable } from './observable';

class ImportHistory extends Observable {
  private cached: ImportView[] | null = null;

  constructor(private readonly library: LocalLibrary) {
    super();
    library.doc.getMap(ROOT.imports).observe(() => {
      this.cached = null;
      this.changed();
    });
  }

  readonly get = (): ImportView[] => (this.cached ??= listImports(this.library.doc));
}

const histories = new WeakMap<LocalLibrary, ImportHistory>();

function historyOf(library: LocalLibrary): ImportHistory {
  let history = histories.get(library);
  if (!history) histories.set(library, (history = new ImportHistory(library)));
  return history;
}

export function useImportHistory(): ImportView[] {
  const history = historyOf(useLocalLibraryHandle());
  return useSyncExternalStore(history.subscribe, history.get);
}
