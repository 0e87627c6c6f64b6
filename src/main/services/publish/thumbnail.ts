// Link-card thumbnails: fetch the page's image, then resize and re-encode it as JPEG until it fits
// Bluesky's blob limit (1,000,000 bytes) and 2000 px, trying lower quality, then smaller sizes.
import sharp from 'sharp';
import { safeFetch } from '../safe-fetch';

export const THUMB_LIMITS = { maxBytes: 1_000_000, maxDimension: 2000 } as const;
const QUALITIES = [80, 60];
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export interface Thumbnail {
  bytes: Uint8Array;
  mimeType: 'image/jpeg';
  width: number;
  height: number;
}

export class ThumbnailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThumbnailError';
  }
}

export async function fetchImageBytes(url: string): Promise<Uint8Array> {
  const response = await safeFetch(url, {
    maxBytes: MAX_SOURCE_BYTES,
    timeoutMs: 15_000,
    accept: 'image/*',
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function makeThumbnail(
  source: Uint8Array,
  limits: { maxBytes: number; maxDimension: number } = THUMB_LIMITS,
): Promise<Thumbnail> {
  // Decode, orient and fit within the size limit once; every later try encodes from these pixels.
  let fitted: { data: Buffer; info: sharp.OutputInfo };
  try {
    fitted = await sharp(source, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize(limits.maxDimension, limits.maxDimension, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new ThumbnailError('the preview image is not an image Curio can read');
  }
  const { width, height, channels } = fitted.info;
  let scale = 1;
  for (let round = 0; round < 8; round++) {
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    let size = Infinity;
    for (const quality of QUALITIES) {
      const data = await sharp(fitted.data, { raw: { width, height, channels } })
        .resize(w, h, { fit: 'fill' })
        .jpeg({ quality })
        .toBuffer();
      if (data.byteLength <= limits.maxBytes)
        return { bytes: data, mimeType: 'image/jpeg', width: w, height: h };
      size = data.byteLength;
    }
    // JPEG size grows roughly with the pixel count: shrink by the square root of the overshoot.
    scale *= Math.min(0.9, Math.sqrt(limits.maxBytes / size) * 0.9);
    if (Math.max(width, height) * scale < 16) break;
  }
  throw new ThumbnailError(
    `the preview image is still larger than ${limits.maxBytes.toLocaleString('en')} bytes after resizing; choose another image`,
  );
}

/** The site's card thumbnails: the shape of a link preview (1.91:1), small enough for a list. */
export const SITE_THUMB = { width: 800, height: 418 } as const;

/**
 * A site thumbnail: cropped to the card's shape from the centre, never enlarged, re-encoded as a
 * baseline JPEG without metadata. Every option that changes the bytes is spelled out, so the same
 * image always gives the same file (and so the same content-hashed path) with this sharp version.
 */
export async function makeSiteThumbnail(source: Uint8Array): Promise<Thumbnail> {
  try {
    const { data, info } = await sharp(source, { limitInputPixels: 100_000_000, failOn: 'error' })
      .rotate()
      .resize(SITE_THUMB.width, SITE_THUMB.height, {
        fit: 'cover',
        position: 'centre',
        kernel: 'lanczos3',
        withoutEnlargement: true,
      })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({
        quality: 80,
        progressive: false,
        chromaSubsampling: '4:2:0',
        optimiseCoding: true,
        mozjpeg: false,
        trellisQuantisation: false,
        overshootDeringing: false,
        optimiseScans: false,
        quantisationTable: 0,
      })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, mimeType: 'image/jpeg', width: info.width, height: info.height };
  } catch {
    throw new ThumbnailError('the preview image is not an image Curio can read');
  }
}
