// The Import dialog's rule: the collection changes only when the curator confirms a preview that
// brings something, whatever else they do (cancel half-way, start another file, a file that is
// not an export, a collection that became read-only).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Materializer, addItem, commitImport, storedField } from '../../shared/collection';
import { nextTid } from '../../shared/model';
import { readImport } from './import-reader';
import { ImportSession, type ImportTarget } from './import-session';
import { inProcessImportWorker } from './import-testing';
import { nextTask } from './next-task';

const SAVED = ['https://saved.example/1', 'https://saved.example/2'];

function bookmarks(urls: string[]): string {
  const links = urls.map(
    (u, i) => `<DT><A HREF="${u}" ADD_DATE="1600000000" TAGS="t${i % 2}">L${i}</A>`,
  );
  return ['<!DOCTYPE NETSCAPE-Bookmark-file-1>', '<DL><p>', ...links, '</DL><p>'].join('\n');
}

const FILES = {
  fresh: bookmarks(['https://new.example/a', 'https://new.example/b', SAVED[0]!]),
  known: bookmarks([SAVED[1]!]),
  large: bookmarks(Array.from({ length: 4_500 }, (_, i) => `https://big.example/${i}`)),
  garbage: '\u0000\u0001binary',
  empty: '',
};
type FileName = keyof typeof FILES;

function collection() {
  const doc = new Y.Doc();
  const actor = { memberId: 'me', now: () => 1 };
  for (const url of SAVED) addItem(doc, { url, tags: ['t1'] }, actor);
  const materializer = new Materializer(doc, 'me');
  let readOnly: string | null = null;
  const target: ImportTarget = {
    readOnlyReason: () => readOnly,
    whenReady: Promise.resolve(),
    row: (id) => materializer.row(id) ?? undefined,
    commitImport: (input) => {
      if (readOnly) throw new Error(readOnly);
      return commitImport(doc, { ...input, id: nextTid() }, actor);
    },
  };
  return { doc, target, setReadOnly: (r: string | null) => (readOnly = r) };
}

const file = (name: FileName) => {
  const blob = new Blob([FILES[name]]);
  return Object.assign(blob, { name: `${name}.html` });
};

type Event =
  | { t: 'start'; file: FileName; cancelAtProgress: boolean }
  | { t: 'finish' }
  | { t: 'cancel' }
  | { t: 'confirm' }
  | { t: 'readOnly'; on: boolean };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    t: fc.constant('start' as const),
    file: fc.constantFrom<FileName>('fresh', 'known', 'large', 'garbage', 'empty'),
    cancelAtProgress: fc.boolean(),
  }),
  fc.constant({ t: 'finish' as const }),
  fc.constant({ t: 'cancel' as const }),
  fc.constant({ t: 'confirm' as const }),
  fc.record({ t: fc.constant('readOnly' as const), on: fc.boolean() }),
);

describe('ImportSession', () => {
  it('never changes the collection unless the curator confirms a preview that brings something', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 10 }), async (events) => {
        const { doc, target, setReadOnly } = collection();
        let cancelNext = false;
        const read: typeof readImport = (source, options) =>
          readImport(source, {
            ...options,
            startWorker: inProcessImportWorker,
            onProgress: (p) => {
              options?.onProgress?.(p);
              if (cancelNext) session.cancel();
            },
          });
        const session: ImportSession = new ImportSession(target, read);
        let reading: Promise<void> = Promise.resolve();
        for (const event of events) {
          const before = Y.encodeStateVector(doc);
          const state = session.getState();
          const confirmable =
            event.t === 'confirm' &&
            state.step === 'preview' &&
            state.entries.length > 0 &&
            target.readOnlyReason() === null;
          switch (event.t) {
            case 'start':
              cancelNext = event.cancelAtProgress;
              reading = session.start(
                { kind: 'file', file: file(event.file) },
                `${event.file}.html`,
              );
              break;
            case 'finish':
              await reading;
              break;
            case 'cancel':
              session.cancel();
              await reading;
              expect(session.getState().step).toBe('choose');
              break;
            case 'confirm':
              session.confirm();
              break;
            case 'readOnly':
              setReadOnly(event.on ? 'You were invited as a reader.' : null);
              break;
          }
          const changed = !equal(Y.encodeStateVector(doc), before);
          expect(changed).toBe(confirmable);
          if (confirmable) expect(session.getState().step).toBe('done');
        }
        await reading;
      }),
      { numRuns: 60 },
    );
  });

  it('gives the window turns while a large preview is worked out, and hears Cancel there', async () => {
    const { doc, target } = collection();
    const before = Y.encodeStateVector(doc);
    let seen: string | null = null;
    // A clock that moves a millisecond each time it is read: every slice ends after a few looks.
    let now = 0;
    const clock = () => now++;
    const session: ImportSession = new ImportSession(
      target,
      async (s, o) => {
        const read = await readImport(s, { ...o, startWorker: inProcessImportWorker });
        // A task queued as the file is read runs before 4,500 drafts are all compared.
        setTimeout(() => {
          seen = session.getState().step;
          session.cancel();
        }, 0);
        return read;
      },
      { now: clock, nextTask, nextPaint: nextTask },
    );
    await session.start({ kind: 'file', file: file('large') }, 'large.html');
    expect(seen).toBe('reading');
    expect(session.getState().step).toBe('choose');
    expect(session.confirm()).toBeNull();
    expect(equal(Y.encodeStateVector(doc), before)).toBe(true);
  });

  it('lets the window paint between slices, not only take turns, while a preview is worked out', async () => {
    const { target } = collection();
    let now = 0;
    const paints: number[] = [];
    let tasks = 0;
    const session = new ImportSession(
      target,
      (s, o) => readImport(s, { ...o, startWorker: inProcessImportWorker }),
      {
        // Four milliseconds a look: 4,500 drafts take about 180 ms.
        now: () => (now += 4),
        nextTask: () => {
          tasks++;
          return nextTask();
        },
        nextPaint: () => {
          paints.push(now);
          return nextTask();
        },
      },
    );
    await session.start({ kind: 'file', file: file('large') }, 'large.html');
    expect(session.getState().step).toBe('preview');
    expect(paints.length).toBeGreaterThan(2);
    expect(tasks).toBeGreaterThan(paints.length);
    // Slices of 8 ms follow one another for about 48 ms, then the window paints: the gap is that
    // and at most one slice and the looks that end it.
    const gaps = paints.map((at, i) => at - (paints[i - 1] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(48 + 8 + 16);
  });

  it('previews counts and problems, and a confirm writes exactly the preview', async () => {
    const { doc, target } = collection();
    const session = new ImportSession(target, (s, o) =>
      readImport(s, { ...o, startWorker: inProcessImportWorker }),
    );
    const csv =
      'title,url,time_added,tags,status\nA,https://new.example/a,1,,unread\nB,,1,,unread\n';
    await session.start(
      { kind: 'file', file: Object.assign(new Blob([csv]), { name: 'pocket.csv' }) },
      'pocket.csv',
    );
    const state = session.getState();
    expect(state).toMatchObject({ step: 'preview', preview: { new: 1, merged: 0, skipped: 0 } });
    if (state.step !== 'preview') return;
    expect(state.problems).toEqual(['line 3: the url column is empty']);
    expect(session.confirm()).toMatchObject({ created: 1 });
    expect(storedField(doc.getMap('items'), state.entries[0]!.id, 'url')).toBe(
      'https://new.example/a',
    );
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
