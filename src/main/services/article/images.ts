// The pictures of an article, kept with its snapshot: fetched under the same rules as the page,
// decoded and re-encoded (which also drops metadata such as GPS positions and proves the bytes
// are an image), scaled to the reading column, and capped in number and total size. Images past
// a cap, or that fail, are left out; the article is kept either way.
import sharp from 'sharp';
import type { Dispatcher } from 'undici';
import { safeFetch } from '../safe-fetch';
import { MAX_IMAGE_EDGE } from './read-page';

export const IMAGE_LIMITS = {
  maxCount: 20,
  maxTotalBytes: 10 * 1024 * 1024,
  /** Largest source file fetched; it is scaled down before it counts against the total. */
  maxSourceBytes: 15 * 1024 * 1024,
  /** For all the images of one article together. */
  timeoutMs: 15_000,
  /** Decoding is refused past this many pixels (a tiny file can claim gigapixels). */
  maxPixels: 50_000_000,
} as const;

export type ImageLimits = typeof IMAGE_LIMITS;

export interface CapturedImage {
  /** The URL as the article's HTML names it. */
  url: string;
  /** Where it was fetched from, after redirects. */
  sourceUrl: string;
  mimeType: 'image/webp';
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface CaptureOptions {
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  limits?: Partial<ImageLimits>;
}

const CONCURRENCY = 4;
const QUALITY = 80;
/** Narrowest an image is shrunk to when it does not fit what is left of the budget. */
const MIN_EDGE = 320;

/** An image's file as it arrived, before it is encoded for the reader. */
export interface FetchedImage {
  url: string;
  sourceUrl: string;
  bytes: Uint8Array;
}

async function fetchImage(
  url: string,
  options: CaptureOptions,
  limits: ImageLimits,
): Promise<FetchedImage> {
  const response = await safeFetch(url, {
    timeoutMs: limits.timeoutMs,
    maxBytes: limits.maxSourceBytes,
    accept: 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8',
    dispatcher: options.dispatcher,
    signal: options.signal,
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return { url, sourceUrl: response.url, bytes: Buffer.concat(chunks) };
}

/** Re-encodes as WebP no wider than `edge`, tall images up to four times that. */
async function encode(bytes: Uint8Array, edge: number, limits: ImageLimits) {
  const input = { animated: true, limitInputPixels: limits.maxPixels };
  const image = sharp(bytes, input);
  const { pages = 1 } = await image.metadata();
  // EXIF orientation applies to still images; sharp cannot rotate animations.
  const oriented = pages === 1 ? image.rotate() : image;
  const { data, info } = await oriented
    .resize({ width: edge, height: edge * 4, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: QUALITY, effort: 4 })
    .toBuffer({ resolveWithObject: true });
  const height = info.pageHeight ?? info.height;
  return { bytes: new Uint8Array(data), width: info.width, height };
}

/** Runs `task` over `items`, `limit` at a time, keeping their order in the result. */
async function inOrder<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>) {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Fetches and encodes the images at `urls` in reading order, stopping at the count and size caps.
 * Returns the images kept and how many of `urls` were left out.
 */
export async function captureImages(
  urls: readonly string[],
  options: CaptureOptions = {},
): Promise<{ images: CapturedImage[]; leftOut: number }> {
  const limits = { ...IMAGE_LIMITS, ...options.limits };
  // One deadline for all the pictures: when it passes, what has not arrived is left out.
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  // A few spares, so images that fail do not leave the caps unused.
  const tried = urls.slice(0, limits.maxCount + CONCURRENCY);
  const fetched = await inOrder(tried, CONCURRENCY, (url) =>
    fetchImage(url, { ...options, signal }, limits),
  );
  const arrived = fetched.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const images = await keepWithinCaps(arrived, limits);
  return { images, leftOut: urls.length - images.length };
}

/** Encodes fetched images in order for the reader, as many as the count and byte caps allow. */
export async function keepWithinCaps(
  fetched: readonly FetchedImage[],
  limits: ImageLimits = IMAGE_LIMITS,
): Promise<CapturedImage[]> {
  const images: CapturedImage[] = [];
  let total = 0;
  for (const source of fetched) {
    if (images.length >= limits.maxCount) break;
    const kept = await fitInBudget(source, limits.maxTotalBytes - total, limits);
    if (!kept) continue;
    images.push(kept);
    total += kept.bytes.byteLength;
  }
  return images;
}

/** The image encoded for the reader, made smaller if it does not fit `budget`, or null. */
async function fitInBudget(
  source: FetchedImage,
  budget: number,
  limits: ImageLimits,
): Promise<CapturedImage | null> {
  let edge = MAX_IMAGE_EDGE;
  for (;;) {
    let encoded;
    try {
      encoded = await encode(source.bytes, edge, limits);
    } catch {
      return null; // Not an image sharp can read, or too many pixels.
    }
    if (encoded.bytes.byteLength <= budget) {
      return { url: source.url, sourceUrl: source.sourceUrl, mimeType: 'image/webp', ...encoded };
    }
    if (edge <= MIN_EDGE) return null;
    // Bytes grow roughly with area: aim a little under what is left.
    const scale = Math.sqrt(budget / encoded.bytes.byteLength) * 0.9;
    edge = Math.max(MIN_EDGE, Math.floor(Math.min(encoded.width, edge) * scale));
  }
}
