// The item's Markdown note, bound to its shared Y.Text: two maintainers can type in it at once and
// see each other's cursors. Each note has its own undo history, so Ctrl+Z in a note never undoes
// a change elsewhere in the collection. The editor edits the note's primary text (notes.ts): a
// note without text gets one with its first words, and the editor moves to whichever text is
// primary when that changes.
import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { EditorView, ViewPlugin, keymap, placeholder, type ViewUpdate } from '@codemirror/view';
import { EditorSelection, EditorState, type Extension } from '@codemirror/state';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { syntaxHighlighting } from '@codemirror/language';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { useLibrary } from '../../data/hooks';
import { nextPaint } from '../../data/next-task';
import type { Library } from '../../data/types';
import { noteEditorText, withNoteSync, writeEditorChanges } from './noteSync';
import { noteHighlighting, noteTheme } from './noteTheme';
import './notes.css';

export const NOTE_EDITOR_CLASS = 'note-editor';

/**
 * For a note with no text yet: the first change starts the text through `start`, and any change
 * made before the editor is bound to it goes into it too.
 */
function startsNote(start: (write: (text: Y.Text) => void) => void, origin: object): Extension {
  return ViewPlugin.define(() => {
    let started: { text: Y.Text; offset: number } | null = null;
    return {
      update(update: ViewUpdate) {
        if (!update.docChanged) return;
        if (started) {
          const { text, offset } = started;
          text.doc!.transact(() => writeEditorChanges(text, update.changes, offset), origin);
          return;
        }
        // The text is new, unless another replica's arrived just now: then these words follow it.
        start((text) => {
          started = { text, offset: text.length };
          writeEditorChanges(text, update.changes, started.offset);
        });
      },
    };
  });
}

/** One editor after another on the same element, each bound to the note's primary text then. */
class NoteBinding {
  private view: EditorView | null = null;
  private bound: Y.Text | null = null;
  /** Origin of the note's first words, which undo takes back like any typing. */
  private readonly firstWords = { firstWords: true };
  /** The note's one undo history, over every text the editor has been bound to. */
  private readonly undoManager: Y.UndoManager;

  constructor(
    private readonly parent: HTMLElement,
    private readonly library: Library,
    private readonly itemId: string,
    private readonly readOnly: boolean,
  ) {
    this.undoManager = library.noteUndoManager(this.firstWords);
    this.bind(library.notePrimary(itemId));
  }

  /** Binds again when the primary text is another one; the previous editor's place is kept. */
  refresh(): void {
    const primary = this.library.notePrimary(this.itemId);
    if (primary !== this.bound) this.bind(primary);
  }

  private bind(text: Y.Text | null): void {
    const previous = this.view;
    const selection = previous?.state.selection.main;
    const focused = previous?.hasFocus ?? false;
    previous?.destroy();
    // The undo history stays: undoing a deletion that emptied a schema-2 root note fills it again,
    // which makes it primary again, and the editor comes back to it.
    this.bound = text;
    const doc = text ? noteEditorText(text) : '';
    const end = doc.length;
    this.view = new EditorView({
      parent: this.parent,
      state: EditorState.create({
        doc,
        selection: selection
          ? EditorSelection.single(Math.min(selection.anchor, end), Math.min(selection.head, end))
          : undefined,
        extensions: [...this.common(text !== null), this.sync(text)],
      }),
    });
    if (focused) this.view.focus();
  }

  private common(undo: boolean): Extension[] {
    return [
      keymap.of([...(undo ? yUndoManagerKeymap : []), indentWithTab, ...defaultKeymap]),
      markdown(),
      syntaxHighlighting(noteHighlighting),
      noteTheme,
      EditorView.lineWrapping,
      placeholder(this.readOnly ? 'No note' : 'Write a note in Markdown…'),
      EditorView.contentAttributes.of({ 'aria-label': 'Note' }),
      EditorState.readOnly.of(this.readOnly),
      EditorView.editable.of(!this.readOnly),
    ];
  }

  private sync(text: Y.Text | null): Extension {
    if (text) {
      // A schema-2 root note is outside the `notes` map the history covers (a `notes` text is in).
      this.undoManager.addToScope(text);
      const { undoManager } = this;
      return withNoteSync(yCollab(text, this.library.awareness, { undoManager }));
    }
    if (this.readOnly) return [];
    return startsNote(
      (write) => this.library.writeNote(this.itemId, write, this.firstWords),
      this.firstWords,
    );
  }

  destroy(): void {
    this.view?.destroy();
    this.undoManager.destroy();
  }
}

/** `readOnly`: the note shows, with other members' cursors, but cannot be typed in. */
export function NoteEditor({ itemId, readOnly = false }: { itemId: string; readOnly?: boolean }) {
  const library = useLibrary();
  const parentRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const parent = parentRef.current;
    if (!parent) return;
    let open = true;
    let binding: NoteBinding | null = null;
    let stop = () => {};
    // Made once the frame that shows the item has painted: building an editor and measuring it
    // took longer than the rest of showing a link just saved or moved to, and a curator moving
    // through the list with the keyboard only gets an editor where they stop.
    void nextPaint().then(() => {
      if (!open) return;
      const made = new NoteBinding(parent, library, itemId, readOnly);
      binding = made;
      // After the transaction, not inside it: the change may come from the editor's own update.
      stop = library.onNotePrimaryChange(itemId, () =>
        queueMicrotask(() => open && made.refresh()),
      );
    });
    return () => {
      open = false;
      stop();
      binding?.destroy();
    };
  }, [library, itemId, readOnly]);

  return (
    <div className="note">
      <div className="note__label" aria-hidden="true">
        Note
      </div>
      <div ref={parentRef} className={NOTE_EDITOR_CLASS} />
    </div>
  );
}
