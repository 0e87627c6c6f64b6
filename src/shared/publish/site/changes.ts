// What a publish changes on the site, entry by entry, against the manifest the last build left in
// the repository. The Publish dialog shows it and the commit message lists it, flagging entries
// nobody on this device picked: whoever presses Publish sees everything that goes out in their name.
import { toBase64 } from 'lib0/buffer';
import { digest } from 'lib0/hash/sha256';
import { realTitle, type PickedLink } from '../pick';
import { isoTime, leftOutBecause, siteEntries, type SiteEntry } from './entries';

/** One entry as the manifest remembers it: enough to name it and to tell whether it changed. */
export interface ManifestEntry {
  key: string;
  title: string;
  url: string;
  /** A hash of everything the site shows about the entry. */
  digest: string;
}

export function manifestEntry(entry: SiteEntry): ManifestEntry {
  const shown = [
    entry.url,
    entry.title,
    entry.blurb,
    entry.host,
    isoTime(entry.date),
    entry.tags,
    entry.headline,
    entry.description,
    entry.image,
    entry.syndication,
  ];
  const hash = toBase64(digest(new TextEncoder().encode(JSON.stringify(shown))));
  return { key: entry.key, title: entry.title, url: entry.url, digest: hash.slice(0, 22) };
}

export type SiteChangeKind = 'added' | 'changed' | 'removed';

export interface SiteChange {
  kind: SiteChangeKind;
  key: string;
  title: string;
  url: string;
  /** The item behind an added or changed entry; null for a removed one. */
  itemId: string | null;
  /** False when no press of Publish on this device chose the pick: another maintainer's record put it there. */
  pickedHere: boolean;
}

/** A pick the site will not show, and why. */
export interface LeftOutPick {
  itemId: string;
  title: string;
  url: string;
  reason: string;
}

export interface SiteChanges {
  changes: SiteChange[];
  leftOut: LeftOutPick[];
}

/** The previous build as far as changes go: its entries, or (older manifests) only their keys. */
export interface PreviousEntries {
  picks: readonly string[];
  entries?: readonly ManifestEntry[];
}

export function siteChanges(
  previous: PreviousEntries | null,
  picks: readonly PickedLink[],
): SiteChanges {
  const before = new Map<string, ManifestEntry | null>(
    (previous?.picks ?? []).map((key) => [key, null]),
  );
  for (const entry of previous?.entries ?? []) before.set(entry.key, entry);
  const pickedHere = new Map(picks.map((pick) => [pick.item.id, pick.pickedHere === true]));
  const changes: SiteChange[] = [];
  const now = siteEntries(picks);
  for (const entry of now) {
    const was = before.get(entry.key);
    const kind: SiteChangeKind | null =
      was === undefined
        ? 'added'
        : was && was.digest !== manifestEntry(entry).digest
          ? 'changed'
          : null;
    if (kind)
      changes.push({
        kind,
        key: entry.key,
        title: entry.title,
        url: entry.url,
        itemId: entry.itemId,
        pickedHere: pickedHere.get(entry.itemId) ?? false,
      });
  }
  const kept = new Set(now.map((e) => e.key));
  for (const [key, was] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (kept.has(key)) continue;
    changes.push({
      kind: 'removed',
      key,
      title: was?.title ?? key,
      url: was?.url ?? '',
      itemId: null,
      pickedHere: false,
    });
  }
  const order: Record<SiteChangeKind, number> = { added: 0, changed: 1, removed: 2 };
  changes.sort((a, b) => order[a.kind] - order[b.kind]);
  const leftOut = picks.flatMap((pick) => {
    const reason = leftOutBecause(pick);
    return reason
      ? [
          {
            itemId: pick.item.id,
            title: realTitle(pick.item) || pick.item.url,
            url: pick.item.url,
            reason,
          },
        ]
      : [];
  });
  return { changes, leftOut };
}

// Control characters and line separators, which would start a new line in `git log`.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Text from the shared document as one plain line: a title must not forge lines of a commit. */
function oneLine(text: string, max = 100): string {
  const line = text.replace(LINE_BREAKING, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const LABEL: Record<SiteChangeKind, string> = {
  added: 'Added',
  changed: 'Changed',
  removed: 'Removed',
};

export function changeLabel(change: SiteChange): string {
  return change.kind !== 'removed' && !change.pickedHere
    ? `${LABEL[change.kind]}, not picked on this device`
    : LABEL[change.kind];
}

/**
 * The commit message: a subject naming the picks this device added, and a body listing every
 * entry that changes, so `git log` shows what went out under whose name.
 */
export function commitMessage(site: SiteChanges, total: number): string {
  const mine = site.changes.filter((c) => c.kind === 'added' && c.pickedHere);
  const others = site.changes.length - mine.length;
  let subject: string;
  if (mine.length) {
    const shown = mine.slice(0, 3).map((c) => oneLine(c.title, 60));
    const more = mine.length > 3 ? ` and ${mine.length - 3} more` : '';
    subject = `Publish ${plural(mine.length, 'pick')}: ${shown.join(', ')}${more}`;
    if (others) subject += ` (+${plural(others, 'other change')})`;
  } else if (others) {
    subject = `Update site: ${plural(others, 'entry', 'entries')} changed`;
  } else {
    subject = `Update site (${plural(total, 'pick')})`;
  }
  const lines = [
    ...site.changes.map(
      (c) => `${changeLabel(c)}: ${oneLine(c.title)}${c.url ? ` <${oneLine(c.url, 300)}>` : ''}`,
    ),
    ...site.leftOut.map((p) => `Left out, ${p.reason}: ${oneLine(p.title)}`),
  ];
  return lines.length ? `${subject}\n\n${lines.join('\n')}\n` : subject;
}
