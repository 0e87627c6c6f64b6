// The outcome line under a settings form: a success is announced politely, a failure as an alert.
export interface SettingsOutcome {
  ok: boolean;
  text: string;
  /** Still working: the text says what is going on. */
  busy?: boolean;
}

export function outcomeOfError(error: unknown): SettingsOutcome {
  return { ok: false, text: error instanceof Error ? error.message : String(error) };
}

export function SettingsResult({ outcome }: { outcome: SettingsOutcome | null }) {
  if (!outcome) return null;
  return (
    <span
      className={
        outcome.busy
          ? 'publish-settings__progress'
          : outcome.ok
            ? 'publish-settings__ok'
            : 'publish-settings__error'
      }
      role={outcome.ok ? 'status' : 'alert'}
      aria-busy={outcome.busy || undefined}
    >
      {outcome.text}
    </span>
  );
}
