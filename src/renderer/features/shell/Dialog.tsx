// A modal built on the native <dialog>: the browser traps focus, closes on Escape and makes the
// rest of the page inert, so no focus-trap library is needed.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import './dialog.css';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wider layout for forms with long fields. */
  wide?: boolean;
}

export function Dialog({ title, onClose, children, wide = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog__body">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}

/** Buttons row at the bottom of a dialog. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog__actions">{children}</div>;
}

/** A form's Cancel and its submit button. */
export function FormActions({
  submit,
  onCancel,
  disabled = false,
}: {
  submit: string;
  onCancel: () => void;
  disabled?: boolean;
}) {
  return (
    <DialogActions>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button--primary" disabled={disabled}>
        {submit}
      </button>
    </DialogActions>
  );
}

/** What went wrong, read out when it appears; nothing while there is nothing to say. */
export function DialogError({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <p className="dialog__error" role="alert">
      {children}
    </p>
  );
}
