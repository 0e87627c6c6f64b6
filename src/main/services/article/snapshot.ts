// extractArticle: a link in, an offline copy of its article out. The page is fetched within the
// article limits (and, for links from others, only from public addresses), read on the extraction
// worker, its images captured, and the article sanitised with those images as placeholders.
import type { ArticleImage, ArticleSnapshot } from '../../../shared/article';
import { articleImagePlaceholder } from '../../../shared/article';
import type { Dispatcher } from 'undici';
import { cleanUrl, parseHttpUrl } from '../../../shared/model';
import { createAddressGuard, type AddressGuardOptions } from '../address-guard';
import { safeFetch, type SafeResponse } from '../safe-fetch';
import { readingMinutes } from './article-text';
import { ArticleError, articleErrorFrom, type PageLimits } from './errors';
import { captureImages, type CapturedImage, type ImageLimits } from './images';
import { PageReader } from './page-reader';

/** http(s) only (safe-fetch checks every hop), at most 5 redirects, 15 s, 10 MB per page. */
export const ARTICLE_PAGE_LIMITS: PageLimits = {
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
};

const HTML_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
/** '' because servers that send no Content-Type mostly serve HTML; jsdom sniffs the rest. */
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml', '']);

export interface ExtractOptions {
  /** Refuse loopback, private, link-local and metadata addresses on every hop (links from others). */
  refuseLocalAddresses: boolean;
  /** The worker that reads pages; one is shared by the whole process unless given. */
  reader?: PageReader;
  page?: Partial<PageLimits>;
  images?: Partial<ImageLimits>;
  /** How host names are resolved and which addresses count as local; for tests. */
  network?: Omit<AddressGuardOptions, 'refuseLocal'>;
  signal?: AbortSignal;
  /** When the snapshot is taken, for tests. */
  now?: () => number;
}

let sharedReader: PageReader | undefined;

/** The reader used when none is given; its idle worker never keeps the process alive. */
export function sharedPageReader(): PageReader {
  sharedReader ??= new PageReader();
  return sharedReader;
}

async function readBody(response: SafeResponse): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The page's bytes, when it is HTML that fits the limits; ArticleError otherwise. */
async function fetchPage(
  url: URL,
  limits: PageLimits,
  dispatcher: Dispatcher,
  signal: AbortSignal | undefined,
): Promise<{ response: SafeResponse; bytes: Uint8Array }> {
  try {
    const response = await safeFetch(url.toString(), {
      ...limits,
      accept: HTML_ACCEPT,
      dispatcher,
      signal,
    });
    if (!HTML_TYPES.has(response.mimeType)) {
      await response.cancel();
      throw new ArticleError(
        'NotAnArticle',
        `Not an article (${response.mimeType}): Curio keeps offline copies of web pages only.`,
      );
    }
    return { response, bytes: await readBody(response) };
  } catch (error) {
    throw articleErrorFrom(error, limits);
  }
}

/** Where the page was read from, as Curio stores links; credentials a redirect added are dropped. */
function finalUrlOf(response: SafeResponse): string {
  const url = new URL(response.url);
  url.username = '';
  url.password = '';
  return cleanUrl(url.toString());
}

function toApiImage(image: CapturedImage, index: number): ArticleImage {
  return {
    placeholder: articleImagePlaceholder(index),
    sourceUrl: image.sourceUrl,
    mimeType: image.mimeType,
    width: image.width,
    height: image.height,
    base64: Buffer.from(image.bytes).toString('base64'),
  };
}

/**
 * Fetches `input` and keeps its article for reading offline. Throws ArticleError, whose message
 * says what went wrong in the curator's words and whose kind says whether to try again.
 */
export async function extractArticle(
  input: string,
  options: ExtractOptions,
): Promise<ArticleSnapshot> {
  const limits = { ...ARTICLE_PAGE_LIMITS, ...options.page };
  let requested: URL;
  try {
    requested = parseHttpUrl(input);
  } catch (error) {
    throw new ArticleError(
      'UnsupportedLink',
      error instanceof Error ? error.message : String(error),
    );
  }
  const dispatcher = createAddressGuard({
    ...options.network,
    refuseLocal: options.refuseLocalAddresses,
  });
  const reader = options.reader ?? sharedPageReader();
  try {
    const { response, bytes } = await fetchPage(requested, limits, dispatcher, options.signal);
    const fetchedAt = (options.now ?? Date.now)();
    const page = await reader.read({
      bytes,
      url: response.url,
      contentType: response.headers.get('content-type') ?? 'text/html',
      contentLanguage: response.headers.get('content-language'),
    });
    const { images, leftOut } = await captureImages(page.imageUrls, {
      dispatcher,
      signal: options.signal,
      limits: options.images,
    });
    if (options.signal?.aborted) {
      throw new ArticleError('Cancelled', 'Saving the article was cancelled.');
    }
    const finished = await reader.finish({
      content: page.content,
      url: response.url,
      lang: page.lang,
      images: images.map(({ url, width, height }) => ({ url, width, height })),
    });
    return {
      url: input,
      finalUrl: finalUrlOf(response),
      title: page.title,
      html: finished.html,
      text: finished.text,
      excerpt: page.excerpt,
      byline: page.byline,
      siteName: page.siteName,
      publishedAt: page.publishedAt,
      lang: page.lang,
      dir: page.dir,
      wordCount: finished.wordCount,
      readingMinutes: readingMinutes(finished.wordCount),
      fetchedAt,
      images: images.map(toApiImage),
      imagesLeftOut: leftOut,
    };
  } finally {
    await dispatcher.close();
  }
}
