// The item's Markdown note, bound to its shared Y.Text: two maintainers can type in it at once and
// see each other's cursors. Each note has its own undo history, so Ctrl+Z in a note never undoes
// a change elsewhere in the collection.
import { useEffect, useRef } from 'react';
import * as Y from 'yjs';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { syntaxHighlighting } from '@codemirror/language';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { useLibrary } from '../../data/hooks';
import { noteEditorText, withNoteSync } from './noteSync';
import { noteHighlighting, noteTheme } from './noteTheme';
import './notes.css';

export const NOTE_EDITOR_CLASS = 'note-editor';

/** `readOnly`: the note shows, with other members' cursors, but cannot be typed in. */
export function NoteEditor({ itemId, readOnly = false }: { itemId: string; readOnly?: boolean }) {
  const library = useLibrary();
  const parentRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const parent = parentRef.current;
    if (!parent) return;
    const ytext = library.noteText(itemId);
    const undoManager = new Y.UndoManager(ytext);
    const view = new EditorView({
      parent,
      state: EditorState.create({
        doc: noteEditorText(ytext),
        extensions: [
          keymap.of([...yUndoManagerKeymap, indentWithTab, ...defaultKeymap]),
          markdown(),
          syntaxHighlighting(noteHighlighting),
          noteTheme,
          EditorView.lineWrapping,
          placeholder(readOnly ? 'No note' : 'Write a note in Markdown…'),
          EditorView.contentAttributes.of({ 'aria-label': 'Note' }),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          withNoteSync(yCollab(ytext, library.awareness, { undoManager })),
        ],
      }),
    });
    return () => {
      view.destroy();
      undoManager.destroy();
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
