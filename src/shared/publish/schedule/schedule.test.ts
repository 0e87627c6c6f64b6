import { describe, expect, it } from 'vitest';
import { ScheduleSettingsSchema, defaultScheduleSettings, splitTargets } from './schedule';

describe('schedule settings', () => {
  it('start as every day at 11:00 in the zone given, both targets following the queue', () => {
    expect(defaultScheduleSettings('Europe/Berlin')).toEqual({
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      times: ['11:00'],
      timeZone: 'Europe/Berlin',
      targets: { bluesky: 'queue', site: 'queue' },
    });
  });

  it('are stored the same whatever order they were chosen in, with the zone’s canonical name', () => {
    const parsed = ScheduleSettingsSchema.parse({
      days: ['sun', 'mon', 'sun'],
      times: ['18:30', '11:00', '18:30'],
      timeZone: 'europe/berlin',
      targets: { bluesky: 'queue', site: 'immediate' },
    });
    expect(parsed.days).toEqual(['mon', 'sun']);
    expect(parsed.times).toEqual(['11:00', '18:30']);
    expect(parsed.timeZone).toBe('Europe/Berlin');
  });

  it('split the Publish dialog’s targets into those that wait for a slot and those that go now', () => {
    const settings = defaultScheduleSettings('UTC');
    settings.targets.site = 'immediate';
    expect(splitTargets(settings, ['site', 'bluesky'])).toEqual({
      queued: ['bluesky'],
      immediate: ['site'],
    });
    expect(splitTargets(null, ['site'])).toEqual({ queued: ['site'], immediate: [] });
  });
});
