// Keeps the note editor and the note's Y.Text in step, like y-codemirror.next's own sync plugin,
// but safe for any content another client may have put in the text. A Y.Text can hold embeds
// (objects) besides characters; the stock plugin hands them to CodeMirror as if they were
// strings, which hangs the page, and the editor's positions then no longer match the text's.
// Here each embed shows as one U+FFFC (OBJECT REPLACEMENT CHARACTER), so every position in the
// editor is the same position in the Y.Text, which remote cursors and undo rely on. Deleting
// that character deletes the embed; nothing else about it can be edited.
import type * as Y from 'yjs';
import type { ChangeSet, Extension } from '@codemirror/state';
import { ViewPlugin, type EditorView, type ViewUpdate } from '@codemirror/view';
import { ySync, ySyncAnnotation, ySyncFacet, type YSyncConfig } from 'y-codemirror.next';

/** How an embed (anything in a Y.Text that is not a character) reads in the editor. */
export const EMBED_PLACEHOLDER = '\uFFFC';

type Delta = Array<{ insert?: unknown; delete?: number; retain?: number }>;

/** What the editor shows for an inserted run: its text, or one placeholder per embed. */
function insertedText(insert: unknown): string {
  return typeof insert === 'string' ? insert : EMBED_PLACEHOLDER;
}

/** The note as the editor shows it: the Y.Text's characters, each embed as one placeholder. */
export function noteEditorText(ytext: Y.Text): string {
  return (ytext.toDelta() as Delta).map((op) => insertedText(op.insert)).join('');
}

/**
 * Writes the editor's changes into the text, `offset` characters in (the editor shows the text
 * from there on). Call it inside a transaction.
 */
export function writeEditorChanges(ytext: Y.Text, changes: ChangeSet, offset = 0): void {
  // Positions in the change set are before it; `shift` follows the text as it is rewritten.
  let shift = offset;
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const text = inserted.sliceString(0, inserted.length, '\n');
    if (fromA !== toA) ytext.delete(fromA + shift, toA - fromA);
    if (text.length > 0) ytext.insert(fromA + shift, text);
    shift += text.length - (toA - fromA);
  });
}

class NoteSync {
  private readonly conf: YSyncConfig;
  private readonly observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === this.conf) return;
    const changes: Array<{ from: number; to: number; insert: string }> = [];
    let pos = 0;
    for (const op of event.delta as Delta) {
      if (op.insert != null) {
        changes.push({ from: pos, to: pos, insert: insertedText(op.insert) });
      } else if (op.delete != null) {
        changes.push({ from: pos, to: pos + op.delete, insert: '' });
        pos += op.delete;
      } else {
        pos += op.retain ?? 0;
      }
    }
    this.view.dispatch({ changes, annotations: [ySyncAnnotation.of(this.conf)] });
  };

  constructor(private readonly view: EditorView) {
    this.conf = view.state.facet(ySyncFacet);
    this.conf.ytext.observe(this.observer);
  }

  update(update: ViewUpdate): void {
    if (!update.docChanged) return;
    if (update.transactions[0]?.annotation(ySyncAnnotation) === this.conf) return;
    const { ytext } = this.conf;
    ytext.doc!.transact(() => writeEditorChanges(ytext, update.changes), this.conf);
  }

  destroy(): void {
    this.conf.ytext.unobserve(this.observer);
  }
}

const noteSync = ViewPlugin.fromClass(NoteSync);

/**
 * y-codemirror.next's collaboration extensions (remote cursors, undo) with its text sync swapped
 * for the embed-safe one above.
 */
export function withNoteSync(collab: Extension): Extension[] {
  const extensions = collab as readonly Extension[];
  if (!Array.isArray(extensions) || !extensions.includes(ySync)) {
    throw new Error('y-codemirror.next no longer provides its sync plugin as expected.');
  }
  return extensions.map((extension) => (extension === ySync ? noteSync : extension));
}
