// A synthetic link collection with natural-language statistics: words drawn from a Zipf
// distribution over a large vocabulary (real text has a few very common words and a long tail),
// plus the domain words a distributed-systems link blog uses. Deterministic for a given size.
import * as Y from 'yjs';
import { addItem, upsertMember } from '../../src/shared/collection';
import type { Member } from '../../src/shared/model';

const DOMAIN =
  'raft paxos consensus gossip crdt vector clock lamport snapshot isolation serializable linearizable quorum replication partition leader election log compaction merkle tree bloom filter sharding latency throughput kafka postgres spanner dynamo cassandra jepsen tla fault tolerance byzantine'.split(
    ' ',
  );

/** Mulberry32: a small seeded PRNG, so every run builds the same collection. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka lo mi ne ra to vu se di po la ter mon gra vel sto ban cri dex fal'.split(' ');

/** The head of every English frequency list: function words, the most frequent ranks. */
const FUNCTION_WORDS =
  'the of and to a in is it that for on was with as be at by this from or an are not but have which you they we his her their has its were will'.split(
    ' ',
  );

function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>(DOMAIN);
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  // Shuffle so domain words land at various frequencies, not all at the head.
  const list = [...words];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return [...FUNCTION_WORDS, ...list.filter((w) => !FUNCTION_WORDS.includes(w))];
}

export interface Corpus {
  doc: Y.Doc;
  words: string[];
}

/** Words drawn from the vocabulary with Zipf statistics (s = 1), from a seeded generator. */
export function zipfWords(seed: number): { words: string[]; word: () => string } {
  const random = rng(seed);
  const words = vocabulary(20_000, random);
  // Zipf with s = 1: P(rank r) ∝ 1/r, sampled by inverting the cumulative sum.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= words.length; r++) cumulative.push((total += 1 / r));
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return { words, word };
}

export function buildCorpus(me: Member, count: number): Corpus {
  const { words, word } = zipfWords(42);
  const text = (n: number) => Array.from({ length: n }, word).join(' ');
  const doc = new Y.Doc();
  const actor = { memberId: me.id, now: () => 1_700_000_000_000 };
  upsertMember(doc, me, actor);
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      addItem(
        doc,
        {
          url: `https://blog${i % 211}.example.org/${i}/${text(3).replace(/ /g, '-')}`,
          title: `${text(6)}`,
          description: text(18),
          tags: [DOMAIN[i % DOMAIN.length]!, DOMAIN[(i * 7) % DOMAIN.length]!],
          note: i % 3 === 0 ? `${text(40)}\n\n${text(20)}` : '',
          addedAt: 1_600_000_000_000 + i * 60_000,
        },
        actor,
      );
    }
  });
  return { doc, words };
}
