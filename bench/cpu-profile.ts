// Reading a DevTools CPU profile (`Profiler.stop`): the functions that took the most time, by
// their own samples and by the samples of everything they called.

export interface CpuProfile {
  /** When sampling began, in microseconds of the profiler's clock. */
  startTime?: number;
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export function heaviestFunctions(
  profile: CpuProfile,
  top: number,
): Array<{ fn: string; selfMs: number; totalMs: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(name(id), (self.get(name(id)) ?? 0) + ms);
    // A recursive function counts once per sample in its total.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = name(at);
      if (seen.has(fn)) continue;
      seen.add(fn);
      total.set(fn, (total.get(fn) ?? 0) + ms);
    }
  });
  return [...total]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, selfMs: Math.round(self.get(fn) ?? 0), totalMs: Math.round(ms) }));
}

/** When each sample was taken, in milliseconds of the profiler's clock. */
export function sampleTimes(profile: CpuProfile): number[] {
  let at = (profile.startTime ?? 0) / 1000;
  return profile.timeDeltas.map((delta) => (at += delta / 1000));
}

/** The samples taken from `from` to `to` (milliseconds of the profiler's clock) as a profile. */
export function profileBetween(profile: CpuProfile, from: number, to: number): CpuProfile {
  const times = sampleTimes(profile);
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  times.forEach((at, i) => {
    if (at < from || at > to) return;
    samples.push(profile.samples[i]!);
    timeDeltas.push(profile.timeDeltas[i]!);
  });
  return { nodes: profile.nodes, samples, timeDeltas };
}
