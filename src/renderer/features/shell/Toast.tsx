// Short confirmations with an optional action ("Moved 2 items to Trash — Undo"). One at a time:
// a new message replaces the old one, as in most mail clients. A message whose action stops making
// sense (its change was undone another way, or another change came after it) goes away then.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import './toast.css';

export interface ToastMessage {
  text: string;
  action?: { label: string; run: () => void };
  /** Watches for the moment the message no longer holds, and calls `dismiss` then. */
  until?: (dismiss: () => void) => () => void;
}

interface ShownToast extends ToastMessage {
  key: number;
}

const ToastContext = createContext<((message: ToastMessage) => void) | null>(null);

const VISIBLE_MS = 6000;

let shown = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<ShownToast | null>(null);
  const show = useCallback((message: ToastMessage) => setToast({ ...message, key: ++shown }), []);

  useEffect(() => {
    if (!toast) return;
    const dismiss = () => setToast((now) => (now?.key === toast.key ? null : now));
    const timer = window.setTimeout(dismiss, VISIBLE_MS);
    const stopWatching = toast.until?.(dismiss);
    return () => {
      window.clearTimeout(timer);
      stopWatching?.();
    };
  }, [toast]);

  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toast-region" role="status" aria-live="polite" aria-label="Notifications">
        {toast && (
          <div className="toast" key={toast.key}>
            <span>{toast.text}</span>
            {toast.action && (
              <button
                type="button"
                className="toast__action"
                onClick={() => {
                  toast.action?.run();
                  setToast(null);
                }}
              >
                {toast.action.label}
              </button>
            )}
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (message: ToastMessage) => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast must be used inside <ToastProvider>.');
  return show;
}
