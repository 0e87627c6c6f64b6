// A link blog's own feed, or a list of feeds: RSS 2.0, Atom, JSON Feed and OPML, read with
// feedsmith. Each entry becomes an item. Link blogs point at the article they discuss with Atom's
// `rel="related"` link or JSON Feed's `external_url`; those win over the post's own address.
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from 'feedsmith';
import { DraftCollector } from './collect';
import { htmlToText } from './html-text';
import type { ImportRun } from './result';

const ENTRIES_PER_BATCH = 2_000;

type Text = string | { value?: string } | undefined;
const textOf = (value: Text): string => (typeof value === 'string' ? value : (value?.value ?? ''));

function malformed(kind: string, error: unknown): DraftCollector {
  const out = new DraftCollector();
  const reason = error instanceof Error ? error.message : String(error);
  out.problem('', `the ${kind} is not well-formed and could not be read (${reason.slice(0, 200)})`);
  return out;
}

async function each<T>(list: readonly T[], run: ImportRun, fn: (entry: T, index: number) => void) {
  for (let i = 0; i < list.length; i++) {
    fn(list[i]!, i);
    if ((i + 1) % ENTRIES_PER_BATCH === 0) await run.checkpoint(i + 1, list.length);
  }
}

export async function parseRss(text: string, run: ImportRun): Promise<DraftCollector> {
  let feed;
  try {
    feed = parseRssFeed(text);
  } catch (error) {
    return malformed('RSS feed', error);
  }
  const out = new DraftCollector();
  await each(feed.items ?? [], run, (item, i) => {
    out.add(`item ${i + 1}`, {
      url: item.link ?? (item.guid?.isPermaLink !== false ? item.guid?.value : undefined),
      title: htmlToText(item.title ?? ''),
      description: htmlToText(item.description ?? ''),
      tags: (item.categories ?? []).map((c) => c.name ?? ''),
      addedAt: item.pubDate,
    });
  });
  return out;
}

export async function parseAtom(text: string, run: ImportRun): Promise<DraftCollector> {
  let feed;
  try {
    feed = parseAtomFeed(text);
  } catch (error) {
    return malformed('Atom feed', error);
  }
  const out = new DraftCollector();
  await each(feed.entries ?? [], run, (entry, i) => {
    const links = entry.links ?? [];
    const link =
      links.find((l) => l.rel === 'related') ??
      links.find((l) => !l.rel || l.rel === 'alternate') ??
      links[0];
    out.add(`entry ${i + 1}`, {
      url: link?.href,
      title: htmlToText(textOf(entry.title as Text)),
      description: htmlToText(textOf(entry.summary as Text)),
      tags: (entry.categories ?? []).map((c) => c.label ?? c.term ?? ''),
      addedAt: entry.published ?? entry.updated,
    });
  });
  return out;
}

export async function parseJsonFeedItems(json: unknown, run: ImportRun): Promise<DraftCollector> {
  let feed;
  try {
    feed = parseJsonFeed(json);
  } catch (error) {
    return malformed('JSON Feed', error);
  }
  const out = new DraftCollector();
  await each(feed.items ?? [], run, (item, i) => {
    out.add(`item ${i + 1}`, {
      url: item.external_url ?? item.url,
      title: item.title,
      description:
        item.summary ?? (item.content_html ? htmlToText(item.content_html) : item.content_text),
      tags: item.tags ?? [],
      addedAt: item.date_published ?? item.date_modified,
      image: item.image ?? item.banner_image,
    });
  });
  return out;
}

interface Outline {
  text?: string;
  title?: string;
  type?: string;
  url?: string;
  htmlUrl?: string;
  xmlUrl?: string;
  created?: string;
  category?: string;
  outlines?: Outline[];
}

/** OPML: each outline with an address becomes an item; outlines around them become tags. */
export async function parseOpmlOutlines(text: string, run: ImportRun): Promise<DraftCollector> {
  let opml;
  try {
    opml = parseOpml(text);
  } catch (error) {
    return malformed('OPML file', error);
  }
  const out = new DraftCollector();
  // Explicit stack: outlines may nest deeper than the call stack allows.
  const stack: Array<{ outline: Outline; tags: string[] }> = [
    ...((opml.body?.outlines ?? []) as Outline[]),
  ]
    .reverse()
    .map((outline) => ({ outline, tags: [] }));
  let n = 0;
  while (stack.length) {
    const { outline, tags } = stack.pop()!;
    const url = outline.url ?? outline.htmlUrl ?? outline.xmlUrl;
    const name = (outline.title ?? outline.text ?? '').trim();
    n++;
    if (url) {
      out.add(`outline ${n}`, {
        url,
        title: name,
        tags: [...tags, ...(outline.category ?? '').split(',').map((c) => c.replace(/^\//, ''))],
        addedAt: outline.created,
      });
    }
    const children = outline.outlines ?? [];
    const childTags = !url && name && tags.length < 20 ? [...tags, name] : tags;
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ outline: children[i]!, tags: childTags });
    if (n % ENTRIES_PER_BATCH === 0) await run.checkpoint(n, n + stack.length);
  }
  return out;
}
