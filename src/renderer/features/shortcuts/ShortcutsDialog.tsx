import { Dialog, DialogActions } from '../shell/Dialog';
import { SHORTCUT_GROUPS } from './shortcutList';
import './shortcuts.css';

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} wide>
      <div className="shortcuts">
        {SHORTCUT_GROUPS.map((group) => (
          <section key={group.title} className="shortcuts__group" aria-label={group.title}>
            <h3 className="shortcuts__title">{group.title}</h3>
            <dl className="shortcuts__list">
              {group.shortcuts.map(({ keys, does }) => (
                <div key={does} className="shortcuts__row">
                  <dt>
                    {keys.map((key) => (
                      <kbd key={key}>{key}</kbd>
                    ))}
                  </dt>
                  <dd>{does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <DialogActions>
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </DialogActions>
    </Dialog>
  );
}
