// One titled part of the settings dialog. Its own module, so the features that fill the dialog can
// use it without importing the dialog that imports them.
import type { ReactNode } from 'react';

export function SettingsSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="settings__section" aria-label={title}>
      <h3 className="settings__title">{title}</h3>
      {children}
    </section>
  );
}
