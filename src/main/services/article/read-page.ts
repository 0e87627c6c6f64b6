// The DOM work of a snapshot, run on the extraction worker: `readPage` parses the page with jsdom
// and finds the article with Readability (plus what the page says about it), `finishArticle`
// sanitises that article with its images swapped for placeholders and derives its plain text.
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { articleImagePlaceholder } from '../../../shared/article';
import { articleText, countWords } from './article-text';
import { ArticleError } from './errors';
import { createArticleSanitizer } from './sanitize';

export interface PageInput {
  /** The page's bytes; jsdom sniffs the encoding as a browser would. */
  bytes: Uint8Array;
  url: string;
  /** The Content-Type header as sent, for its charset. */
  contentType: string;
  /** The Content-Language header, if any. */
  contentLanguage: string | null;
}

export interface PageReading {
  title: string;
  /** Readability's article HTML, not yet sanitised. */
  content: string;
  excerpt: string | null;
  byline: string | null;
  siteName: string | null;
  publishedAt: string | null;
  lang: string | null;
  dir: 'ltr' | 'rtl' | null;
  /** Every distinct image the article shows, in reading order. */
  imageUrls: string[];
}

export interface FinishInput {
  content: string;
  url: string;
  lang: string | null;
  /** The captured images; the one at index n becomes `curio-image:n`. */
  images: readonly { url: string; width: number; height: number }[];
}

export interface FinishedArticle {
  html: string;
  text: string;
  wordCount: number;
}

/** The widest picture worth storing: a reading column at twice the pixel density. */
export const MAX_IMAGE_EDGE = 1600;

function parse(html: string | Uint8Array, url: string, contentType = 'text/html'): JSDOM {
  // A quiet console: a page's broken CSS is not worth a line in the app's log.
  return new JSDOM(html, { url, contentType, virtualConsole: new VirtualConsole() });
}

/** An image's URL as the reader would fetch it: the srcset candidate nearest MAX_IMAGE_EDGE. */
export function imageUrlOf(img: Element, base: string): string | null {
  const candidates = (img.getAttribute('srcset') ?? '')
    .split(/,\s+/)
    .map((entry) => entry.trim().split(/\s+/))
    .filter(([href]) => href)
    .map(([href, descriptor = '1x']) => {
      const n = parseFloat(descriptor);
      return { href: href!, width: descriptor.endsWith('w') ? n : n * (MAX_IMAGE_EDGE / 2) };
    })
    .filter((c) => Number.isFinite(c.width))
    .sort((a, b) => a.width - b.width);
  const best =
    candidates.find((c) => c.width >= MAX_IMAGE_EDGE) ?? candidates[candidates.length - 1];
  const chosen = best?.href ?? img.getAttribute('src');
  if (!chosen) return null;
  try {
    const url = new URL(chosen, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function clean(text: string | null | undefined): string | null {
  const collapsed = text?.replace(/\s+/g, ' ').trim();
  return collapsed ? collapsed : null;
}

function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function languageTag(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const tag = candidate?.split(',')[0]?.trim();
    if (!tag) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? null;
    } catch {
      // Not a language tag; try the next source.
    }
  }
  return null;
}

export function readPage(input: PageInput): PageReading {
  const dom = parse(input.bytes, input.url, input.contentType || 'text/html');
  try {
    const document = dom.window.document;
    const pageTitle = clean(document.title);
    const article = new Readability(document, { charThreshold: 500 }).parse();
    const content = article?.content;
    if (!article || !content || !clean(article.textContent)) {
      throw new ArticleError(
        'NotAnArticle',
        `Not an article: Curio found no article text on this page${pageTitle ? ` (only the title "${pageTitle.slice(0, 120)}")` : ''}.`,
      );
    }
    const imageUrls = new Set<string>();
    const fragment = JSDOM.fragment(content);
    for (const img of Array.from(fragment.querySelectorAll('img'))) {
      const url = imageUrlOf(img, input.url);
      if (url) imageUrls.add(url);
    }
    const dir = clean(article.dir)?.toLowerCase();
    return {
      title: clean(article.title) ?? pageTitle ?? input.url,
      content,
      excerpt: clean(article.excerpt),
      byline: clean(article.byline),
      siteName: clean(article.siteName),
      publishedAt: isoDate(article.publishedTime),
      lang: languageTag(article.lang, input.contentLanguage),
      dir: dir === 'rtl' || dir === 'ltr' ? dir : null,
      imageUrls: [...imageUrls],
    };
  } finally {
    dom.window.close();
  }
}

/** One window and sanitiser for every article this worker finishes; each job starts clean. */
let finisher: { document: Document; sanitize: (html: string) => HTMLElement } | undefined;

export function finishArticle(input: FinishInput): FinishedArticle {
  if (!finisher) {
    const { window } = parse('<!doctype html><body>', 'about:blank');
    finisher = {
      document: window.document,
      sanitize: createArticleSanitizer(window as unknown as Window),
    };
  }
  const captured = new Map(input.images.map((image, index) => [image.url, { ...image, index }]));
  const template = finisher.document.createElement('template');
  template.innerHTML = input.content;
  for (const img of Array.from(template.content.querySelectorAll('img'))) {
    const image = captured.get(imageUrlOf(img, input.url) ?? '');
    for (const name of img.getAttributeNames()) {
      if (name !== 'alt' && name !== 'title') img.removeAttribute(name);
    }
    if (!image) continue;
    // The stored picture's own size, so the reader lays the text out before it decodes.
    img.setAttribute('src', articleImagePlaceholder(image.index));
    img.setAttribute('width', String(image.width));
    img.setAttribute('height', String(image.height));
  }
  const body = finisher.sanitize(template.innerHTML);
  const text = articleText(body);
  return { html: body.innerHTML, text, wordCount: countWords(text, input.lang) };
}
