// Settings → "Publishing schedule": on which days and at which times the queue posts, on which
// time zone's clock, and per target whether it follows the queue or publishes at once. The
// schedule is shared: every maintainer's Curio posts on it.
import { useEffect, useId, useMemo, useState } from 'react';
import { QueueError, readSchedule, setSchedule } from '../../../shared/collection';
import {
  TARGET_MODES,
  WEEKDAYS,
  defaultScheduleSettings,
  type ScheduleSettings,
  type TargetMode,
  type Weekday,
} from '../../../shared/publish';
import { useLocalLibraryHandle, useReadOnlyReason } from '../../data/hooks';
import { SettingsResult, type SettingsOutcome } from '../publish/SettingsResult';
import { SettingsSection } from '../settings/SettingsSection';
import './queue.css';

const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const MODE_LABELS: Record<TargetMode, string> = {
  queue: 'Follows the queue',
  immediate: 'Publishes at once',
};

function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function knownTimeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

export function ScheduleSettingsSection() {
  const library = useLocalLibraryHandle();
  // The form starts from the stored schedule: before the collection has loaded it would start
  // from the defaults, and saving would overwrite the schedule every maintainer shares.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void library.whenReady.then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [library]);
  return (
    <SettingsSection title="Publishing schedule">
      {ready ? <ScheduleForm /> : <p className="settings__text">Loading the schedule…</p>}
    </SettingsSection>
  );
}

/** The schedule as stored and as edited, and what Save does with it. */
function useScheduleForm() {
  const library = useLocalLibraryHandle();
  const stored = useMemo(() => readSchedule(library.doc), [library]);
  const [form, setForm] = useState<ScheduleSettings>(
    () => stored.schedule ?? defaultScheduleSettings(deviceTimeZone()),
  );
  const [status, setStatus] = useState<SettingsOutcome | null>(null);

  const change = (patch: Partial<ScheduleSettings>) => {
    setStatus(null);
    setForm({ ...form, ...patch });
  };

  const save = () => {
    try {
      setSchedule(library.doc, form, { memberId: library.me.id });
      const saved = readSchedule(library.doc).schedule;
      setStatus({
        ok: true,
        text: saved
          ? `Saved. The queue posts at ${saved.times.join(', ')} (${saved.timeZone}).`
          : 'Saved.',
      });
    } catch (error) {
      setStatus({
        ok: false,
        text: error instanceof QueueError ? error.message : `Not saved: ${String(error)}`,
      });
    }
  };

  return { stored, form, change, status, save };
}

type ScheduleChange = (patch: Partial<ScheduleSettings>) => void;

function ScheduleForm() {
  const readOnly = useReadOnlyReason();
  const id = useId();
  const { stored, form, change, status, save } = useScheduleForm();
  return (
    <>
      {stored.schedule === null && (
        <p className="settings__text">
          No schedule yet: queued picks wait until you save one. Every maintainer&rsquo;s Curio
          posts on this schedule.
        </p>
      )}
      {stored.problems.length > 0 && (
        <p className="publish-settings__error" role="alert">
          Part of the stored schedule could not be read ({stored.problems.join('; ')}). Saving
          replaces it.
        </p>
      )}
      <ScheduleDays days={form.days} change={change} />
      <ScheduleTimes id={id} times={form.times} change={change} />
      <ScheduleClock id={id} form={form} change={change} />
      <p className="settings__text publish-settings__hint">
        A slot posts only while a maintainer&rsquo;s Curio is running; a missed slot posts when one
        next runs, one pick per slot from then on.
      </p>
      <div className="publish-settings__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={readOnly !== null}
          title={readOnly ?? undefined}
          onClick={save}
        >
          Save schedule
        </button>
        <SettingsResult outcome={status} />
      </div>
    </>
  );
}

function ScheduleDays({ days, change }: { days: readonly Weekday[]; change: ScheduleChange }) {
  return (
    <fieldset className="schedule__group">
      <legend className="schedule__legend">Days</legend>
      <div className="schedule__days">
        {WEEKDAYS.map((day) => (
          <label key={day} className="settings__choice">
            <input
              type="checkbox"
              checked={days.includes(day)}
              onChange={(e) =>
                change({
                  days: e.target.checked ? [...days, day] : days.filter((d) => d !== day),
                })
              }
            />
            {DAY_LABELS[day]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function ScheduleTimes({
  id,
  times,
  change,
}: {
  id: string;
  times: readonly string[];
  change: ScheduleChange;
}) {
  const setTime = (index: number, value: string) =>
    change({ times: times.map((t, i) => (i === index ? value : t)) });
  return (
    <fieldset className="schedule__group">
      <legend className="schedule__legend">Times</legend>
      <div className="schedule__times">
        {times.map((time, index) => (
          <div key={index} className="schedule__time">
            <label htmlFor={`${id}-time-${index}`}>Post at</label>
            <input
              id={`${id}-time-${index}`}
              type="time"
              value={time}
              required
              onChange={(e) => setTime(index, e.target.value)}
            />
            {times.length > 1 && (
              <button
                type="button"
                className="button button--quiet"
                aria-label={`Remove the time ${time || 'left empty'}`}
                onClick={() => change({ times: times.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button--quiet"
          onClick={() => change({ times: [...times, ''] })}
        >
          Add a time
        </button>
      </div>
    </fieldset>
  );
}

/** The time zone the slots are read in, and per target whether it waits for them. */
function ScheduleClock({
  id,
  form,
  change,
}: {
  id: string;
  form: ScheduleSettings;
  change: ScheduleChange;
}) {
  const zones = useMemo(() => knownTimeZones(), []);
  return (
    <div className="publish-settings__grid">
      <label htmlFor={`${id}-zone`}>Time zone</label>
      <input
        id={`${id}-zone`}
        value={form.timeZone}
        list={`${id}-zones`}
        spellCheck={false}
        onChange={(e) => change({ timeZone: e.target.value })}
      />
      <datalist id={`${id}-zones`}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      {(['bluesky', 'site'] as const).map((target) => (
        <TargetModeField
          key={target}
          id={`${id}-${target}`}
          label={target === 'bluesky' ? 'Bluesky' : 'Site'}
          value={form.targets[target]}
          onChange={(mode) => change({ targets: { ...form.targets, [target]: mode } })}
        />
      ))}
    </div>
  );
}

function TargetModeField(props: {
  id: string;
  label: string;
  value: TargetMode;
  onChange: (mode: TargetMode) => void;
}) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) =>
          props.onChange(TARGET_MODES.find((mode) => mode === e.target.value) ?? 'queue')
        }
      >
        {TARGET_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {MODE_LABELS[mode]}
          </option>
        ))}
      </select>
    </>
  );
}
