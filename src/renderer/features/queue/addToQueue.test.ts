// "Add to queue": the words typed are kept for whichever Curio posts the pick, targets that
// publish at once are handed back, and a pick with nothing left to queue is named.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  getPublicationBlurb,
  getPublicationHeadline,
  materializeAll,
  readQueue,
  recordPublication,
  setSchedule,
} from '../../../shared/collection';
import { addToQueue, queuedMessage } from './addToQueue';

const actor = { memberId: 'ana', now: () => Date.UTC(2026, 4, 4, 9) };

function collection(siteMode: 'queue' | 'immediate' | null) {
  const doc = new Y.Doc();
  const raft = addItem(doc, { url: 'https://raft.example/', title: 'Raft' }, actor).id;
  const crdt = addItem(doc, { url: 'https://crdt.example/', title: 'CRDTs' }, actor).id;
  if (siteMode)
    setSchedule(
      doc,
      {
        days: ['mon'],
        times: ['11:00'],
        timeZone: 'UTC',
        targets: { bluesky: 'queue', site: siteMode },
      },
      actor,
    );
  const rows = () => materializeAll(doc, 'ana');
  return { doc, raft, crdt, rows };
}

describe('addToQueue', () => {
  it('queues every chosen target and keeps the typed words for whoever posts', () => {
    const { doc, raft, crdt, rows } = collection('queue');
    const result = addToQueue(
      doc,
      {
        items: rows(),
        targets: ['bluesky', 'site'],
        blurbs: { [raft]: 'The paper that made consensus teachable.' },
        headlines: { [raft]: 'Consensus, understood' },
      },
      actor,
    );
    expect([...result.queued].sort()).toEqual([raft, crdt].sort());
    expect(result.skipped).toEqual([]);
    expect(result.immediate).toEqual([]);
    expect(readQueue(doc).picks.map((p) => p.targets)).toEqual([
      ['bluesky', 'site'],
      ['bluesky', 'site'],
    ]);
    for (const target of ['bluesky', 'site'] as const)
      expect(getPublicationBlurb(doc, raft, target)).toBe(
        'The paper that made consensus teachable.',
      );
    expect(getPublicationHeadline(doc, raft)).toBe('Consensus, understood');
    expect(getPublicationBlurb(doc, crdt, 'bluesky')).toBeNull();
  });

  it('hands back the targets that publish at once, and queues only the rest', () => {
    const { doc, rows } = collection('immediate');
    const result = addToQueue(
      doc,
      { items: rows(), targets: ['bluesky', 'site'], blurbs: {}, headlines: {} },
      actor,
    );
    expect(result.immediate).toEqual(['site']);
    expect(readQueue(doc).picks.map((p) => p.targets)).toEqual([['bluesky'], ['bluesky']]);
    expect(queuedMessage(result, 1)).toBe('Added 2 picks to the queue; publishing site now.');
  });

  it('follows the queue for every target until a schedule says otherwise', () => {
    const { doc, rows } = collection(null);
    const result = addToQueue(
      doc,
      { items: rows(), targets: ['site'], blurbs: {}, headlines: {} },
      actor,
    );
    expect(result.immediate).toEqual([]);
    expect(readQueue(doc).picks).toHaveLength(2);
  });

  it('names a pick already published where it was to go, and queues the others', () => {
    const { doc, raft, crdt, rows } = collection('queue');
    recordPublication(
      doc,
      raft,
      { target: 'bluesky', state: 'published', key: '3kabc', by: 'ana', at: 1 },
      actor,
    );
    const result = addToQueue(
      doc,
      { items: rows(), targets: ['bluesky'], blurbs: {}, headlines: {} },
      actor,
    );
    expect(result.queued).toEqual([crdt]);
    expect(result.skipped).toEqual([
      {
        title: 'Raft',
        reason: 'This pick is already published there: there is nothing left to queue.',
      },
    ]);
    expect(queuedMessage(result, 0)).toBe('Added 1 pick to the queue; 1 already published there.');
  });
});
