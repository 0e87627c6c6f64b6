// The outcome line under a settings form: a success is announced politely, a failure as an alert.
export interface SettingsOutcome {
  ok: boolean;
  text: string;
}

export function outcomeOfError(error: unknown): SettingsOutcome {
  return { ok: false, text: error instanceof Error ? error.message : String(error) };
}

export function SettingsResult({ outcome }: { outcome: SettingsOutcome | null }) {
  if (!outcome) return null;
  return (
    <span
      className={outcome.ok ? 'publish-settings__ok' : 'publish-settings__error'}
      role={outcome.ok ? 'status' : 'alert'}
    >
      {outcome.text}
    </span>
  );
}
