// Postings kept between sessions: as varints, and read back into MiniSearch's maps a word at a
// time, when something first reads that word (see `CompactIndex` in ranked.ts).

/** Unsigned LEB128 varints, appended to a byte array grown by doubling. */
export class VarintWriter {
  private data = new Uint8Array(1 << 16);
  private length = 0;

  push(value: number): void {
    if (this.length + 8 > this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    // Arithmetic rather than bit operators: a zigzag difference may need 33 bits.
    while (value >= 0x80) {
      this.data[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.data[this.length++] = value;
  }

  done(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

/** Reads what `VarintWriter` wrote, from byte `at` on. */
export class VarintReader {
  constructor(
    private readonly data: Uint8Array,
    public at = 0,
  ) {}

  get done(): boolean {
    return this.at >= this.data.length;
  }

  /** Steps over `count` numbers; false if the bytes end first. */
  skip(count: number): boolean {
    const data = this.data;
    let at = this.at;
    while (count > 0) {
      const byte = data[at++];
      if (byte === undefined) return false;
      if (byte < 0x80) count--;
    }
    this.at = at;
    return true;
  }

  /** The next number, or -1 past the end of the bytes or for a varint of over five bytes. */
  next(): number {
    const data = this.data;
    let byte = data[this.at++];
    if (byte === undefined) return -1;
    if (byte < 0x80) return byte;
    let value = byte & 0x7f;
    for (let scale = 0x80; scale <= 2 ** 28; scale *= 0x80) {
      byte = data[this.at++];
      if (byte === undefined) return -1;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
    return -1;
  }
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n: number): number => (n % 2 ? -(n + 1) / 2 : n / 2);

/**
 * Writes one word's postings (field id → short id → frequency) as `StoredTermData` reads them:
 * how many fields, then for each its id, how many documents, and for each of those its short id
 * (as the zigzag difference from the one before) and the word's frequency.
 */
export function writeTermData(
  writer: VarintWriter,
  data: ReadonlyMap<number, ReadonlyMap<number, number>>,
): void {
  writer.push(data.size);
  data.forEach((freqs, fieldId) => {
    writer.push(fieldId);
    writer.push(freqs.size);
    let previous = 0;
    freqs.forEach((freq, doc) => {
      writer.push(zigzag(doc - previous));
      writer.push(freq);
      previous = doc;
    });
  });
}

/**
 * The postings of `count` words written one after another by `writeTermData`, each to be read
 * when first asked for. Only their structure is checked here (counts, field ids, that each ends
 * where the next begins); `damaged` makes the error thrown when it does not hold.
 */
export function readTermData(
  postings: Uint8Array,
  count: number,
  fieldCount: number,
  damaged: (what: string) => Error,
): StoredTermData[] {
  const read = new VarintReader(postings);
  const next = () => {
    const value = read.next();
    if (value < 0) throw damaged('its postings end early');
    return value;
  };
  const words: StoredTermData[] = [];
  for (let i = 0; i < count; i++) {
    const start = read.at;
    for (let f = next(); f > 0; f--) {
      if (next() >= fieldCount) throw damaged('a posting names no field');
      // Each document's short id and frequency, read when the word's maps are made. A short id
      // of no document matches nothing: documents discarded since the index was written may
      // still be named here, as in MiniSearch's own index until it is vacuumed.
      if (!read.skip(2 * next())) throw damaged('its postings end early');
    }
    words.push(new StoredTermData(postings, start));
  }
  if (!read.done) throw damaged('its postings run on');
  return words;
}

/**
 * One word's postings as MiniSearch keeps them (field id → document → frequency), made from the
 * stored numbers the first time anything reads them. Reading a large index back then costs one
 * pass over its numbers rather than millions of map entries, and words nobody searches for stay
 * numbers until MiniSearch itself walks every word (vacuuming, or writing the index down).
 */
export class StoredTermData extends Map<number, Map<number, number>> {
  private source: Uint8Array | null;
  private readonly at: number;

  constructor(source: Uint8Array, at: number) {
    super();
    this.source = source;
    this.at = at;
  }

  /** Makes the maps, once: `at` is where this word's count of fields is. */
  fill(): void {
    const source = this.source;
    if (!source) return;
    this.source = null;
    const read = new VarintReader(source, this.at);
    for (let f = read.next(); f > 0; f--) {
      const fieldId = read.next();
      const freqs = new Map<number, number>();
      let doc = 0;
      for (let d = read.next(); d > 0; d--) {
        doc += unzigzag(read.next());
        freqs.set(doc, read.next());
      }
      super.set(fieldId, freqs);
    }
  }

  override get(key: number): Map<number, number> | undefined {
    this.fill();
    return super.get(key);
  }
  override has(key: number): boolean {
    this.fill();
    return super.has(key);
  }
  override set(key: number, value: Map<number, number>): this {
    this.fill();
    return super.set(key, value);
  }
  override delete(key: number): boolean {
    this.fill();
    return super.delete(key);
  }
  override clear(): void {
    this.source = null;
    super.clear();
  }
  override forEach(
    each: (value: Map<number, number>, key: number, map: Map<number, Map<number, number>>) => void,
    thisArg?: unknown,
  ): void {
    this.fill();
    super.forEach(each, thisArg);
  }
  override entries(): MapIterator<[number, Map<number, number>]> {
    this.fill();
    return super.entries();
  }
  override keys(): MapIterator<number> {
    this.fill();
    return super.keys();
  }
  override values(): MapIterator<Map<number, number>> {
    this.fill();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[number, Map<number, number>]> {
    this.fill();
    return super[Symbol.iterator]();
  }
}

// `size` is a getter on Map.prototype, which a class cannot override with one of its own in
// TypeScript: it is defined here, filling the maps first like every other reader.
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
Object.defineProperty(StoredTermData.prototype, 'size', {
  get(this: StoredTermData) {
    this.fill();
    return mapSize.call(this) as number;
  },
});
