// MiniSearch with a faster way to answer a query. MiniSearch keeps the index (tokens, the radix
// tree behind prefix and typo matching, field lengths, discards and vacuuming); `rank` scores it
// the way MiniSearch's own `search` does, for queries whose words must all match, but sums into
// flat arrays indexed by document instead of building a result object for every posting. A
// three-letter prefix can match half of a large collection, and then that difference is tens of
// milliseconds against one.
//
// Prefixes are looked up in a sorted array of the index's words, where the completions of a prefix
// are one contiguous run found by binary search. Walking MiniSearch's radix tree for them instead
// was half the cost of ranking a three-letter prefix.
//
// It reads the index through the members MiniSearch declares `protected` for subclasses; the
// package is pinned to an exact version and `ranked.test.ts` holds `rank` to `search`.
import MiniSearch, { type Options, type SearchOptions } from 'minisearch';
import { readTermData, VarintWriter, writeTermData } from './stored-postings';

export interface RankedHit {
  id: string;
  score: number;
}

export interface Ranking {
  hits: RankedHit[];
  /** How many documents matched, of which `hits` are the best. */
  total: number;
  /**
   * The index words the query's words stood for (after prefix and typo expansion) that matched a
   * document which had matched the query's earlier words: every word that matched a hit, and
   * possibly a few that matched only documents a later word ruled out. Each hit's own matched
   * words are exactly those of this list that occur in it.
   */
  terms: string[];
}

type FieldTermData = Map<number, Map<number, number>>;

/**
 * A whole index, kept between sessions. Reading it back builds MiniSearch's maps straight from
 * numbers: reading its JSON spent most of its time parsing and turning object keys into numbers.
 */
export interface CompactIndex {
  documentCount: number;
  nextId: number;
  dirtCount: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  /** Each document's short id, beside its id at the same place in `documentIds`. */
  shortIds: Uint32Array;
  documentIds: string[];
  /** Each document's length in every field (NaN for none), document after document. */
  fieldLengths: Float64Array;
  /** Every word of the index, in code-unit order. */
  terms: string[];
  /**
   * Each word of `terms`'s postings, one after another, as `writeTermData` writes them: in
   * varints, each short id as the difference from the one before. Short ids mostly follow one
   * another closely, so most take a byte: a third of the size of 32-bit numbers, and the size is
   * most of what reading the index back costs.
   */
  postings: Uint8Array;
}

/** What one posting list contributes: the word it is for and the weight of that match. */
interface Expansion {
  term: string;
  weight: number;
  data: FieldTermData;
}

export class RankedMiniSearch<T> extends MiniSearch<T> {
  // Per-document accumulators, grown as the index grows and reused between queries.
  private score = new Float64Array(0);
  /** How many of the query's words matched the document so far, in this query. */
  private matched = new Uint16Array(0);
  /** The query word that last touched the document (+1), so each word counts once. */
  private lastWord = new Uint16Array(0);

  /** Every word of the index in code-unit order, and beside each its postings. */
  private sortedTerms: string[] = [];
  private sortedData: FieldTermData[] = [];
  /**
   * The radix tree the sorted words were read from. MiniSearch replaces the tree when it is
   * cleared or loaded, and then the words are read again.
   */
  private sortedFrom: unknown = null;
  /** Words of documents added since, that may be missing from the sorted words. */
  private addedTerms = new Set<string>();

  constructor(options: Options<T>) {
    super(options);
  }

  /**
   * The index in the form `restore` reads, taken a few thousand words at a time: the generator
   * yields between parts, so that writing a large index can pause, and returns the whole. The
   * index must not change while the parts are taken.
   */
  *compactParts(termsPerPart = 5000): Generator<void, CompactIndex> {
    const fieldCount = Object.keys(this._fieldIds).length;
    const shortIds = new Uint32Array(this._documentIds.size);
    const documentIds: string[] = [];
    const fieldLengths = new Float64Array(shortIds.length * fieldCount);
    let at = 0;
    for (const [shortId, id] of this._documentIds) {
      shortIds[at] = shortId;
      documentIds.push(String(id));
      const lengths = this._fieldLength.get(shortId);
      for (let f = 0; f < fieldCount; f++)
        fieldLengths[at * fieldCount + f] = lengths?.[f] ?? Number.NaN;
      at++;
    }
    yield;
    this.sortTerms();
    const terms: string[] = [];
    const postings = new VarintWriter();
    for (let i = 0; i < this.sortedTerms.length; i++) {
      const data = this.sortedData[i]!;
      // A word whose last document went stays in the sorted words with nothing under it.
      if (data.size === 0) continue;
      terms.push(this.sortedTerms[i]!);
      writeTermData(postings, data);
      if (terms.length % termsPerPart === 0) yield;
    }
    return {
      documentCount: this._documentCount,
      nextId: this._nextId,
      dirtCount: this._dirtCount,
      fieldIds: { ...this._fieldIds },
      averageFieldLength: [...this._avgFieldLength],
      shortIds,
      documentIds,
      fieldLengths,
      terms,
      postings: postings.done(),
    };
  }

  /**
   * The index `compactParts` wrote, with every word sorted as `rank` reads them. Throws when
   * `compact` does not hold together (a damaged or hand-made record).
   */
  static restore<T>(compact: CompactIndex, options: Options<T>): RankedMiniSearch<T> {
    const { shortIds, documentIds, fieldLengths, terms, postings } = compact;
    const fieldCount = Object.keys(compact.fieldIds).length;
    const damaged = (what: string) => new Error(`The stored search index is damaged: ${what}.`);
    if (
      documentIds.length !== shortIds.length ||
      compact.documentCount !== shortIds.length ||
      fieldLengths.length !== shortIds.length * fieldCount ||
      !Number.isSafeInteger(compact.nextId)
    )
      throw damaged('its documents do not add up');
    const ranked = new RankedMiniSearch<T>(options);
    ranked._documentCount = compact.documentCount;
    ranked._nextId = compact.nextId;
    ranked._dirtCount = compact.dirtCount;
    ranked._fieldIds = { ...compact.fieldIds };
    ranked._avgFieldLength = [...compact.averageFieldLength];
    const known = new Uint8Array(compact.nextId);
    for (let at = 0; at < shortIds.length; at++) {
      const shortId = shortIds[at]!;
      if (shortId >= compact.nextId || known[shortId]) throw damaged('a document id is repeated');
      known[shortId] = 1;
      ranked._documentIds.set(shortId, documentIds[at]);
      ranked._idToShortId.set(documentIds[at], shortId);
      const lengths: number[] = [];
      for (let f = 0; f < fieldCount; f++) {
        const length = fieldLengths[at * fieldCount + f]!;
        if (!Number.isNaN(length)) lengths[f] = length;
      }
      ranked._fieldLength.set(shortId, lengths);
    }
    const data = readTermData(postings, terms.length, fieldCount, damaged);
    for (let i = 0; i < terms.length; i++) {
      if (i > 0 && !(terms[i - 1]! < terms[i]!)) throw damaged('its words are out of order');
      ranked._index.set(terms[i]!, data[i]!);
    }
    ranked.sortedTerms = [...terms];
    ranked.sortedData = data;
    ranked.sortedFrom = ranked._index;
    return ranked;
  }

  override add(document: T): void {
    super.add(document);
    // Until the sorted words are first needed they are not kept up to date, so adding a whole
    // collection costs nothing extra.
    if (this.sortedFrom !== this._index) return;
    const { extractField, stringifyField, tokenize, processTerm, fields } = this._options;
    for (const field of fields) {
      const value: unknown = extractField(document, field);
      if (value == null) continue;
      for (const token of tokenize(stringifyField(value, field), field)) {
        const processed = processTerm(token, field);
        if (Array.isArray(processed)) for (const term of processed) this.addedTerms.add(term);
        else if (processed) this.addedTerms.add(processed);
      }
    }
  }

  /**
   * The documents that match every word of `text`, best first, at most `limit` of them. Query
   * words are found as `search` finds them (the index's tokenizer and term processing, and the
   * prefix, fuzzy, boost, weights and BM25 search options).
   */
  rank(text: string, limit: number): Ranking {
    const options = this._options;
    const search = options.searchOptions as Required<SearchOptions>;
    const words = options
      .tokenize(text)
      .flatMap((token) => options.processTerm(token) || [])
      .filter((word): word is string => !!word);
    if (words.length === 0 || words.length > 0xffff) return { hits: [], total: 0, terms: [] };

    const size = this._nextId;
    if (this.score.length < size) this.grow(size);
    const { score, matched, lastWord } = this;
    score.fill(0, 0, size);
    matched.fill(0, 0, size);
    lastWord.fill(0, 0, size);

    const terms = new Set<string>();

    const fieldNames = search.fields ?? options.fields;
    const fields = fieldNames.map((name) => ({
      id: this._fieldIds[name]!,
      boost: search.boost?.[name] || 1,
    }));
    const { k, b, d } = search.bm25;
    const checkLive = this._dirtCount > 0;
    const touched: number[] = [];

    const lengths = this.fieldLengths();
    const stride = this.lengthStride;
    const documentIds = this._documentIds;

    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const mark = w + 1;
      const boost = search.boostTerm ? search.boostTerm(word, w, words) : 1;
      for (const { term, weight, data } of this.expand(word, w, words, search)) {
        let found = false;
        for (const field of fields) {
          const postings = data.get(field.id);
          if (!postings) continue;
          let docFreq = postings.size;
          if (checkLive) postings.forEach((_, doc) => void (documentIds.has(doc) || docFreq--));
          const idf = Math.log(1 + (this._documentCount - docFreq + 0.5) / (docFreq + 0.5));
          const avgLength = this._avgFieldLength[field.id]!;
          const factor = weight * boost * field.boost * idf;
          const fieldId = field.id;
          // forEach with flat arrays: several times faster than for-of and Map lookups here.
          postings.forEach((freq, doc) => {
            if (checkLive && !documentIds.has(doc)) return;
            // Every word before this one must have matched: the words are combined with AND.
            if (matched[doc] !== w + (lastWord[doc] === mark ? 1 : 0)) return;
            const length = lengths[doc * stride + fieldId]!;
            score[doc]! +=
              factor * (d + (freq * (k + 1)) / (freq + k * (1 - b + (b * length) / avgLength)));
            if (lastWord[doc] !== mark) {
              lastWord[doc] = mark;
              matched[doc]!++;
              if (w === 0) touched.push(doc);
            }
            if (!found) found = true;
          });
        }
        if (found) terms.add(term);
      }
    }

    // MiniSearch multiplies by the number of distinct query words a document matched; with AND
    // that is every distinct word.
    const quality = new Set(words).size;
    let best: number[] = [];
    for (const doc of touched) if (matched[doc] === words.length) best.push(doc);
    const total = best.length;
    if (total > limit) {
      // Only the best `limit` need ordering: find the score they start at with a numeric sort.
      const scores = new Float64Array(total);
      for (let i = 0; i < total; i++) scores[i] = score[best[i]!]!;
      const threshold = scores.sort()[total - limit]!;
      best = best.filter((doc) => score[doc]! >= threshold);
    }
    best.sort((x, y) => score[y]! - score[x]!);
    const hits = best.slice(0, limit).map((doc) => ({
      id: String(this._documentIds.get(doc)),
      score: score[doc]! * quality,
    }));
    return { hits, total, terms: [...terms] };
  }

  /** The index words one query word stands for: itself, its completions, its near misses. */
  private *expand(
    word: string,
    index: number,
    words: string[],
    search: Required<SearchOptions>,
  ): Generator<Expansion> {
    const exact = this._index.get(word);
    if (exact) yield { term: word, weight: 1, data: exact };
    const prefix =
      typeof search.prefix === 'function'
        ? search.prefix(word, index, words)
        : search.prefix === true;
    const option =
      typeof search.fuzzy === 'function' ? search.fuzzy(word, index, words) : search.fuzzy;
    const fuzzy = option === true ? 0.2 : option || 0;
    let near: Map<string, [FieldTermData, number]> | undefined;
    if (fuzzy) {
      const distance =
        fuzzy < 1 ? Math.min(search.maxFuzzy, Math.round(word.length * fuzzy)) : fuzzy;
      if (distance)
        near = this._index.fuzzyGet(word, distance) as Map<string, [FieldTermData, number]>;
    }
    if (prefix) {
      const first = this.firstSortedTerm(word);
      const sorted = this.sortedTerms;
      const postings = this.sortedData;
      for (let i = first; i < sorted.length; i++) {
        const term = sorted[i]!;
        if (!term.startsWith(word)) break;
        const distance = term.length - word.length;
        if (!distance) continue;
        near?.delete(term);
        yield {
          term,
          weight: (search.weights.prefix * term.length) / (term.length + 0.3 * distance),
          data: postings[i]!,
        };
      }
    }
    if (near) {
      for (const [term, [data, distance]] of near) {
        if (!distance) continue;
        yield {
          term,
          weight: (search.weights.fuzzy * term.length) / (term.length + distance),
          data,
        };
      }
    }
  }

  /** Brings the sorted words up to date with the index. */
  private sortTerms(): void {
    if (this.sortedFrom !== this._index) this.readSortedTerms();
    else if (this.addedTerms.size) this.mergeAddedTerms();
  }

  /** The index of the first sorted word not before `word`, after bringing the words up to date. */
  private firstSortedTerm(word: string): number {
    this.sortTerms();
    return this.lowerBound(word);
  }

  private lowerBound(word: string): number {
    const sorted = this.sortedTerms;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sorted[mid]! < word) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private readSortedTerms(): void {
    const entries = [...this._index].sort(([a], [b]) => (a < b ? -1 : 1));
    this.sortedTerms = entries.map(([term]) => term);
    this.sortedData = entries.map(([, data]) => data);
    this.sortedFrom = this._index;
    this.addedTerms.clear();
  }

  /**
   * Brings the words of documents added since into the sorted words. Most are there already. A
   * word whose last posting went was dropped by MiniSearch and left with an empty map here, which
   * matches nothing; if a new document brought it back, it takes the index's new map. Words not
   * there yet are merged in, and the merge also drops the words the index no longer has.
   */
  private mergeAddedTerms(): void {
    const fresh: string[] = [];
    for (const term of this.addedTerms) {
      const at = this.lowerBound(term);
      if (this.sortedTerms[at] !== term) fresh.push(term);
      else if (this.sortedData[at]!.size === 0)
        this.sortedData[at] = this._index.get(term) ?? this.sortedData[at]!;
    }
    this.addedTerms.clear();
    if (!fresh.length) return;
    fresh.sort();
    const terms: string[] = [];
    const data: FieldTermData[] = [];
    const keep = (term: string, postings: FieldTermData | undefined): void => {
      if (postings?.size || (postings = this._index.get(term))) {
        terms.push(term);
        data.push(postings);
      }
    };
    const old = this.sortedTerms;
    let i = 0;
    for (const term of fresh) {
      while (i < old.length && old[i]! < term) keep(old[i]!, this.sortedData[i++]!);
      keep(term, undefined);
    }
    while (i < old.length) keep(old[i]!, this.sortedData[i++]!);
    this.sortedTerms = terms;
    this.sortedData = data;
  }

  private lengthsFor = -1;
  private lengthsOf: unknown = null;
  private lengths = new Float64Array(0);
  private lengthStride = 1;

  /**
   * Field lengths by document in one flat array (document × field), rebuilt after documents are
   * added. Documents are never given an id twice, so the next id says when that was, until the
   * index is cleared and MiniSearch starts a new map of lengths.
   */
  private fieldLengths(): Float64Array {
    if (this.lengthsFor === this._nextId && this.lengthsOf === this._fieldLength)
      return this.lengths;
    const stride = Object.keys(this._fieldIds).length;
    const lengths = new Float64Array(this._nextId * stride);
    this._fieldLength.forEach((values, doc) => {
      for (let f = 0; f < stride; f++) lengths[doc * stride + f] = values[f] ?? 0;
    });
    this.lengths = lengths;
    this.lengthStride = stride;
    this.lengthsFor = this._nextId;
    this.lengthsOf = this._fieldLength;
    return lengths;
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.score.length * 2, 1024);
    this.score = new Float64Array(capacity);
    this.matched = new Uint16Array(capacity);
    this.lastWord = new Uint16Array(capacity);
  }
}
