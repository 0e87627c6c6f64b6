// An article snapshot as the main process hands it to the renderer: sanitised HTML whose images
// point at `curio-image:<n>` placeholders, the images themselves, and what the reader and the
// library show about the article. Snapshots are stored per device and never enter the shared
// document. Failures arrive as errors named `Article<kind>` (see ARTICLE_FAILURES).
import { z } from 'zod';

/** How an image is written in a snapshot's HTML: `<img src="curio-image:0">`. */
export const ARTICLE_IMAGE_SCHEME = 'curio-image:';

export function articleImagePlaceholder(index: number): string {
  return `${ARTICLE_IMAGE_SCHEME}${index}`;
}

export const ArticleImageSchema = z.object({
  /** What `src` says in the HTML; the renderer swaps it for a blob URL. */
  placeholder: z.string().regex(/^curio-image:\d+$/),
  /** Where the image came from (after redirects), for credits and refetching. */
  sourceUrl: z.string(),
  mimeType: z.enum(['image/webp', 'image/png', 'image/jpeg', 'image/gif']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The image file, base64, so the same value crosses IPC and web mode's JSON. */
  base64: z.string(),
});
export type ArticleImage = z.infer<typeof ArticleImageSchema>;

export const ArticleSnapshotSchema = z.object({
  /** The link as saved. */
  url: z.string(),
  /** Where the page was read from, after redirects. */
  finalUrl: z.string(),
  title: z.string(),
  /** Sanitised article HTML: no scripts, styles, forms or frames; links http(s)/mailto only. */
  html: z.string(),
  /** The article as plain text, paragraphs separated by blank lines (search, highlights). */
  text: z.string(),
  excerpt: z.string().nullable(),
  byline: z.string().nullable(),
  siteName: z.string().nullable(),
  /** ISO 8601, when the page says when it was published. */
  publishedAt: z.string().nullable(),
  /** BCP 47 language tag, when the page declares one. */
  lang: z.string().nullable(),
  dir: z.enum(['ltr', 'rtl']).nullable(),
  wordCount: z.number().int().nonnegative(),
  readingMinutes: z.number().int().nonnegative(),
  /** ms since epoch. */
  fetchedAt: z.number().int().nonnegative(),
  images: z.array(ArticleImageSchema),
  /** Images of the article that were left out (over the caps, or could not be fetched). */
  imagesLeftOut: z.number().int().nonnegative(),
});
export type ArticleSnapshot = z.infer<typeof ArticleSnapshotSchema>;

export const SnapshotOptionsSchema = z
  .object({
    /** The link arrived through sync: someone else added it. */
    fromOthers: z.boolean(),
    /** The "Allow local network addresses for links from others" setting. */
    allowLocalNetwork: z.boolean().optional(),
  })
  .strict();
export type SnapshotOptions = z.infer<typeof SnapshotOptionsSchema>;

/**
 * Why a snapshot failed; the error's name is `Article<kind>` and its message is written for the
 * curator. `retry` says whether trying again later can help.
 */
export const ARTICLE_FAILURES = {
  /** "Page answered 404 (Not Found) …": the link is gone or forbidden. */
  HttpStatus: { retry: false },
  /** "Page answered 503 …", or 429/408: the site is struggling for now. */
  ServerError: { retry: true },
  /** "Not an article (application/pdf) …", or a page with no article text. */
  NotAnArticle: { retry: false },
  /** "Took longer than 15 s …" to download. */
  Timeout: { retry: true },
  /** Reading the page took too long: it is too large or complex to keep offline. */
  TooComplex: { retry: false },
  TooLarge: { retry: false },
  TooManyRedirects: { retry: false },
  /** DNS, refused connection, TLS failure. */
  Unreachable: { retry: true },
  /** A link from others led to this device or its network and the setting does not allow it. */
  LocalAddress: { retry: false },
  /** Not an http(s) link. */
  UnsupportedLink: { retry: false },
  Cancelled: { retry: true },
} as const satisfies Record<string, { retry: boolean }>;
export type ArticleFailureKind = keyof typeof ARTICLE_FAILURES;

/** The failure kind an error name stands for (`ArticleTimeout` → `Timeout`), or null. */
export function articleFailureKind(errorName: string): ArticleFailureKind | null {
  const kind = errorName.startsWith('Article') ? errorName.slice('Article'.length) : '';
  return Object.prototype.hasOwnProperty.call(ARTICLE_FAILURES, kind)
    ? (kind as ArticleFailureKind)
    : null;
}
