// The "Offline reading" settings of this device, kept in the app database beside the theme and
// the member profile: they are this device's choices, never the collection's.
import type { AppDb } from './db';
import { Observable } from './observable';
import {
  DEFAULT_OFFLINE_SETTINGS,
  OfflineSettingsSchema,
  readOfflineSettings,
  type OfflineSettings,
} from './snapshots-policy';

const KEY = 'offlineReading';

export class OfflineSettingsStore extends Observable {
  private value: OfflineSettings = DEFAULT_OFFLINE_SETTINGS;

  /** Without an app database (tests), the settings live in memory. */
  constructor(private readonly app: AppDb | null = null) {
    super();
  }

  async load(): Promise<void> {
    if (!this.app) return;
    this.value = readOfflineSettings(await this.app.getSetting<unknown>(KEY));
    this.changed();
  }

  get = (): OfflineSettings => this.value;

  async set(patch: Partial<OfflineSettings>): Promise<void> {
    const next = OfflineSettingsSchema.parse({ ...this.value, ...patch });
    this.value = next;
    this.changed();
    await this.app?.putSetting(KEY, next);
  }
}
