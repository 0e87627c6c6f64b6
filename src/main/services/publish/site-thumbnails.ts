// Thumbnails for the site's link cards. Each pick's preview image (http(s) only) is fetched with
// the safe fetch, made into a site thumbnail and stored in the site repository under a path named
// by a hash of its bytes. The manifest remembers which image URL gave which file, so a thumbnail
// the repository already holds is reused, never fetched again: two maintainers whose machines
// encoded an image a little differently still agree on the site. A thumbnail that cannot be made
// leaves its card without an image; it never stops a publish.
import { createHash } from 'node:crypto';
import {
  siteEntries,
  THUMBNAIL_DIR,
  type PickedLink,
  type SiteThumbnail,
} from '../../../shared/publish';
import { fetchImageBytes, makeSiteThumbnail } from './thumbnail';
import { fileInside } from './working-copy';

export interface ThumbnailDeps {
  /** Downloads a preview image; defaults to the safe fetch. */
  fetchImage?: (url: string) => Promise<Uint8Array>;
  log?: (message: string) => void;
}

export interface SiteImages {
  thumbnails: Map<string, SiteThumbnail>;
  /** Thumbnail files to write, by path. */
  files: Map<string, Uint8Array>;
}

/** Made once per publish, whatever the number of push attempts. */
export type ThumbnailCache = Map<string, { thumb: SiteThumbnail; bytes: Uint8Array } | null>;

export async function siteImages(
  dir: string,
  picks: readonly PickedLink[],
  previous: Readonly<Record<string, SiteThumbnail>> | undefined,
  cache: ThumbnailCache,
  deps: ThumbnailDeps,
): Promise<SiteImages> {
  const out: SiteImages = { thumbnails: new Map(), files: new Map() };
  const urls = [...new Set(siteEntries(picks).flatMap((e) => (e.image ? [e.image] : [])))].sort();
  for (const url of urls) {
    const kept = previous?.[url];
    if (kept && (await fileInside(dir, kept.path))) {
      out.thumbnails.set(url, kept);
      continue;
    }
    if (!cache.has(url)) cache.set(url, await makeOne(url, deps));
    const made = cache.get(url);
    if (!made) continue;
    out.thumbnails.set(url, made.thumb);
    out.files.set(made.thumb.path, made.bytes);
  }
  return out;
}

async function makeOne(
  url: string,
  deps: ThumbnailDeps,
): Promise<{ thumb: SiteThumbnail; bytes: Uint8Array } | null> {
  try {
    const image = await makeSiteThumbnail(await (deps.fetchImage ?? fetchImageBytes)(url));
    const hash = createHash('sha256').update(image.bytes).digest('hex').slice(0, 32);
    const thumb = {
      path: `${THUMBNAIL_DIR}/${hash}.jpg`,
      width: image.width,
      height: image.height,
    };
    return { thumb, bytes: image.bytes };
  } catch (error) {
    deps.log?.(
      `No thumbnail for ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}
