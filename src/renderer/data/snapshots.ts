// Articles kept on this device for reading offline. Three tables of the collection's database:
//   snapshots       what the library shows about each article (small: all of them are read at open)
//   articleBodies   the sanitised HTML and plain text, read when the article is opened or indexed
//   articleImages   the article's pictures as blobs, which the reader shows through blob: URLs
// A snapshot is written and replaced in one transaction, so an article never has half its images.
// Snapshots never enter the shared document: each device fetches its own.
import type { ArticleSnapshot } from '../../shared/article';
import type { CollectionDb } from './db';
import { Observable } from './observable';

/** What the library shows about a kept article: the snapshot's facts without its text and images. */
export type SnapshotMeta = Omit<ArticleSnapshot, 'html' | 'text' | 'images'> & {
  /** The item's id. */
  id: string;
  imageCount: number;
  /** What the snapshot takes on disk: its text as UTF-8 and its images. */
  bytes: number;
};

export interface ArticleBodyRow {
  id: string;
  html: string;
  text: string;
}

export interface ArticleImageRow {
  id: string;
  index: number;
  /** `curio-image:<n>` as written in the HTML. */
  placeholder: string;
  mimeType: string;
  width: number;
  height: number;
  sourceUrl: string;
  blob: Blob;
}

export interface StoredArticle {
  meta: SnapshotMeta;
  html: string;
  text: string;
  images: ArticleImageRow[];
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const utf8 = new TextEncoder();

export class SnapshotStore extends Observable {
  private readonly metas = new Map<string, SnapshotMeta>();
  private total = 0;

  constructor(private readonly db: CollectionDb) {
    super();
  }

  /** Reads what the library shows about every stored article. */
  async load(): Promise<void> {
    const rows = await this.db.snapshots.toArray();
    this.metas.clear();
    this.total = 0;
    for (const meta of rows) this.remember(meta);
    this.changed();
  }

  private remember(meta: SnapshotMeta): void {
    this.forget(meta.id);
    this.metas.set(meta.id, meta);
    this.total += meta.bytes;
  }

  private forget(id: string): void {
    const old = this.metas.get(id);
    if (!old) return;
    this.total -= old.bytes;
    this.metas.delete(id);
  }

  meta(id: string): SnapshotMeta | undefined {
    return this.metas.get(id);
  }

  has(id: string): boolean {
    return this.metas.has(id);
  }

  ids(): string[] {
    return [...this.metas.keys()];
  }

  get count(): number {
    return this.metas.size;
  }

  /** Bytes on disk taken by every snapshot. */
  get bytes(): number {
    return this.total;
  }

  /** Stores an article for this item, replacing any earlier snapshot of it. */
  async save(id: string, snapshot: ArticleSnapshot): Promise<SnapshotMeta> {
    const images: ArticleImageRow[] = snapshot.images.map((image, index) => ({
      id,
      index,
      placeholder: image.placeholder,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      sourceUrl: image.sourceUrl,
      blob: new Blob([bytesOf(image.base64)], { type: image.mimeType }),
    }));
    const { html, text, images: sent, ...facts } = snapshot;
    const meta: SnapshotMeta = {
      ...facts,
      id,
      imageCount: sent.length,
      bytes:
        utf8.encode(html).length +
        utf8.encode(text).length +
        images.reduce((sum, image) => sum + image.blob.size, 0),
    };
    const { db } = this;
    await db.transaction('rw', db.snapshots, db.articleBodies, db.articleImages, async () => {
      await db.articleImages.where('id').equals(id).delete();
      await db.snapshots.put(meta);
      await db.articleBodies.put({ id, html: snapshot.html, text: snapshot.text });
      if (images.length) await db.articleImages.bulkPut(images);
    });
    this.remember(meta);
    this.changed();
    return meta;
  }

  /** The stored article, or null when this device has none for the item. */
  async read(id: string): Promise<StoredArticle | null> {
    const { db } = this;
    return db.transaction('r', db.snapshots, db.articleBodies, db.articleImages, async () => {
      const [meta, body, images] = await Promise.all([
        db.snapshots.get(id),
        db.articleBodies.get(id),
        db.articleImages.where('id').equals(id).sortBy('index'),
      ]);
      return meta && body ? { meta, html: body.html, text: body.text, images } : null;
    });
  }

  /** The plain text of the article, for search. */
  async text(id: string): Promise<string | null> {
    return (await this.db.articleBodies.get(id))?.text ?? null;
  }

  async remove(ids: readonly string[]): Promise<void> {
    const present = ids.filter((id) => this.metas.has(id));
    if (!present.length) return;
    const { db } = this;
    await db.transaction('rw', db.snapshots, db.articleBodies, db.articleImages, async () => {
      await db.snapshots.bulkDelete(present);
      await db.articleBodies.bulkDelete(present);
      await db.articleImages.where('id').anyOf(present).delete();
    });
    for (const id of present) this.forget(id);
    this.changed();
  }

  async removeAll(): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.snapshots, db.articleBodies, db.articleImages, async () => {
      await Promise.all([db.snapshots.clear(), db.articleBodies.clear(), db.articleImages.clear()]);
    });
    this.metas.clear();
    this.total = 0;
    this.changed();
  }
}
