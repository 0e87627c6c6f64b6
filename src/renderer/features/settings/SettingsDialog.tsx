// Settings: appearance, who I am, sync and collections; each feature adds a SettingsSection.
import { useLibrary } from '../../data/hooks';
import { ImportExportSettings } from '../import-export/ImportExportSettings';
import { BlueskySettingsSection } from '../publish/BlueskySettings';
import { SiteSettingsSection } from '../publish/SiteSettings';
import { ScheduleSettingsSection } from '../queue/ScheduleSettings';
import { OfflineReadingSettings } from '../reader/OfflineReadingSettings';
import { CollectionSettings, SyncSettings } from '../sync/SyncSettings';
import { Dialog, DialogActions } from '../shell/Dialog';
import { useTheme, type ThemeChoice } from '../theme/theme';
import { SettingsSection } from './SettingsSection';
import './settings.css';

const THEMES: Array<{ value: ThemeChoice; label: string }> = [
  { value: 'system', label: 'Follow system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { choice, setTheme } = useTheme();
  const library = useLibrary();
  return (
    <Dialog title="Settings" onClose={onClose} wide>
      <SettingsSection title="Appearance">
        <div className="settings__choices" role="radiogroup" aria-label="Theme">
          {THEMES.map(({ value, label }) => (
            <label key={value} className="settings__choice">
              <input
                type="radio"
                name="theme"
                checked={choice === value}
                onChange={() => setTheme(value)}
              />
              {label}
            </label>
          ))}
        </div>
      </SettingsSection>
      <SettingsSection title="You">
        <p className="settings__text">
          Others in this collection see you as <strong>{library.me.name}</strong>.
        </p>
      </SettingsSection>
      <SyncSettings />
      <OfflineReadingSettings />
      <BlueskySettingsSection />
      <SiteSettingsSection />
      <ImportExportSettings />
      <ScheduleSettingsSection />
      <CollectionSettings />
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </DialogActions>
    </Dialog>
  );
}
