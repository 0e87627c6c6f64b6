// Reads a page's own description of itself (Open Graph, Twitter cards, <title>, meta description,
// rel=image_src) from its <head>, as the text streams in. parse5's tokenizer is the one the HTML
// standard specifies (and jsdom uses), so <title> and <script> contents, entities and broken markup
// read as a browser would read them; stopping at the end of the head means a page's size barely
// matters.
import { once } from 'node:events';
import { SAXParser, type StartTag } from 'parse5-sax-parser';

export interface PageMetadata {
  title: string;
  description: string;
  /** Absolute http(s) URL of the preview image, or null. */
  image: string | null;
  siteName: string | null;
}

export const METADATA_LIMITS = { title: 300, description: 1000, siteName: 100, url: 4000 } as const;

/** Elements the HTML parser keeps in <head>; any other start tag means the body has begun. */
const HEAD_ELEMENTS = new Set([
  'html',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'style',
  'script',
  'noscript',
  'template',
  'basefont',
  'bgsound',
]);

const TITLE_KEYS = ['og:title', 'twitter:title'];
const DESCRIPTION_KEYS = ['og:description', 'twitter:description', 'description'];
const IMAGE_KEYS = [
  'og:image',
  'og:image:url',
  'og:image:secure_url',
  'twitter:image',
  'twitter:image:src',
];
const SITE_NAME_KEYS = ['og:site_name', 'application-name'];

function attr(tag: StartTag, name: string): string | undefined {
  return tag.attrs.find((a) => a.name === name)?.value;
}

/** Collapses whitespace, drops control characters and cuts at `max` characters (not mid-pair). */
export function cleanText(value: string | undefined, max: number): string {
  if (!value) return '';
  // eslint-disable-next-line no-control-regex
  let text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Resolves `value` against `base`; null unless the result is a usable http(s) URL. */
export function resolveHttpUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    const href = url.toString();
    return href.length <= METADATA_LIMITS.url ? href : null;
  } catch {
    return null;
  }
}

export class PageMetadataReader {
  private readonly parser = new SAXParser();
  /** First value seen for each lower-cased meta name/property: pages list the canonical one first. */
  private readonly meta = new Map<string, string>();
  private readonly imageLinks: string[] = [];
  private baseHref: string | undefined;
  private title: string | undefined;
  private titleParts: string[] | undefined;
  private ended = false;

  constructor() {
    this.parser.on('startTag', (tag: StartTag) => this.onStartTag(tag));
    this.parser.on('endTag', ({ tagName }: { tagName: string }) => {
      if (tagName === 'title' && this.titleParts) {
        this.title ??= this.titleParts.join('');
        this.titleParts = undefined;
      }
      if (tagName === 'head') this.endHead();
    });
    this.parser.on('text', ({ text }: { text: string }) => this.titleParts?.push(text));
  }

  /** True once the head is over; nothing after it is read. */
  get headEnded(): boolean {
    return this.ended;
  }

  async write(text: string): Promise<void> {
    if (this.ended || !text) return;
    if (!this.parser.write(text)) await once(this.parser, 'drain');
  }

  async end(): Promise<void> {
    const finished = once(this.parser, 'finish');
    this.parser.end();
    await finished;
  }

  /** The metadata read so far; relative URLs resolve against <base href> or `pageUrl`. */
  result(pageUrl: string): PageMetadata {
    const base = resolveHttpUrl(this.baseHref, pageUrl) ?? pageUrl;
    const first = (keys: string[], max: number, extra?: string) =>
      [...keys.map((k) => this.meta.get(k)), extra]
        .map((v) => cleanText(v, max))
        .find((v) => v !== '') ?? '';
    const image =
      [...IMAGE_KEYS.map((k) => this.meta.get(k)), ...this.imageLinks]
        .map((v) => resolveHttpUrl(v, base))
        .find((v) => v !== null) ?? null;
    const siteName = first(SITE_NAME_KEYS, METADATA_LIMITS.siteName);
    return {
      title: first(TITLE_KEYS, METADATA_LIMITS.title, this.title ?? this.titleParts?.join('')),
      description: first(DESCRIPTION_KEYS, METADATA_LIMITS.description),
      image,
      siteName: siteName || null,
    };
  }

  private onStartTag(tag: StartTag): void {
    if (this.ended) return;
    if (!HEAD_ELEMENTS.has(tag.tagName)) return this.endHead();
    if (tag.tagName === 'meta') {
      const key = (attr(tag, 'property') ?? attr(tag, 'name'))?.trim().toLowerCase();
      const content = attr(tag, 'content');
      if (key && content !== undefined && !this.meta.has(key)) this.meta.set(key, content);
    } else if (tag.tagName === 'link') {
      const rel = attr(tag, 'rel')?.toLowerCase().split(/\s+/) ?? [];
      const href = attr(tag, 'href');
      if (rel.includes('image_src') && href) this.imageLinks.push(href);
    } else if (tag.tagName === 'base') {
      this.baseHref ??= attr(tag, 'href');
    } else if (tag.tagName === 'title' && this.title === undefined) {
      this.titleParts = [];
    }
  }

  private endHead(): void {
    this.ended = true;
    this.parser.stop();
  }
}
