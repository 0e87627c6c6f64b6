// The document the reader's frame shows: the stored article's sanitised HTML with its pictures
// pointed at blob: URLs, under a CSP of its own that allows nothing but those pictures and the
// reader's own styles. The frame is sandboxed without scripts as well; this is the second lock.
import { ARTICLE_IMAGE_SCHEME } from '../../../shared/article';
import type { StoredArticle } from '../../data/snapshots';

export const ARTICLE_BODY_ID = 'curio-article-body';

/** No scripts, no fonts, frames, media, forms or fetches; pictures only from this window's blobs. */
export const ARTICLE_CSP =
  "default-src 'none'; img-src blob:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

const ARTICLE_STYLES = `
:root { color-scheme: light; --text: #1f2328; --muted: #59636e; --link: #0550ae; --mark: #fff3a3;
  --mark-text: inherit; --rule: #d1d9e0; --code: #f6f8fa; --size: 19px; --width: 38em; }
:root[data-theme="dark"] { color-scheme: dark; --text: #e6e6e6; --muted: #9aa4ae; --link: #7cb7ff;
  --mark: #6b5a00; --mark-text: #fffbe0; --rule: #3a4048; --code: #1c2128; }
html { background: Canvas; }
body { margin: 0; padding: 2.5rem 1.5rem 6rem; color: var(--text);
  font: var(--size)/1.65 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; }
main { max-width: var(--width); margin: 0 auto; overflow-wrap: break-word; }
header { margin-bottom: 2rem; border-bottom: 1px solid var(--rule); padding-bottom: 1rem; }
h1 { font-size: 1.9em; line-height: 1.2; margin: 0 0 .5rem; }
.byline { color: var(--muted); font: .8em/1.4 system-ui, sans-serif; margin: 0; }
a { color: var(--link); }
img { max-width: 100%; height: auto; }
figure { margin: 1.5em 0; } figcaption { color: var(--muted); font-size: .85em; }
pre, code { font: .85em/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; background: var(--code); }
pre { padding: 1em; overflow-x: auto; border-radius: 6px; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid var(--rule); color: var(--muted); }
table { border-collapse: collapse; } td, th { border: 1px solid var(--rule); padding: .3em .6em; }
mark.curio-highlight { background: var(--mark); color: var(--mark-text); border-radius: 2px; }
mark.curio-highlight.curio-highlight--focus { outline: 2px solid var(--link); }
`;

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The stored HTML with each `curio-image:<n>` replaced by its blob URL (pictures not kept go). */
function withImages(html: string, images: ReadonlyMap<string, string>): string {
  // DOMParser builds an inert document: nothing in it loads or runs.
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  for (const img of [...doc.images]) {
    const src = img.getAttribute('src') ?? '';
    const url = src.startsWith(ARTICLE_IMAGE_SCHEME) ? images.get(src) : undefined;
    if (url) img.setAttribute('src', url);
    else img.remove();
  }
  return doc.body.innerHTML;
}

export function articleDocument(
  article: Pick<StoredArticle, 'html'> & {
    meta: Pick<StoredArticle['meta'], 'title' | 'byline' | 'siteName' | 'lang' | 'dir'>;
  },
  images: ReadonlyMap<string, string>,
): string {
  const { meta } = article;
  const lang = meta.lang && /^[A-Za-z0-9-]{1,35}$/.test(meta.lang) ? ` lang="${meta.lang}"` : '';
  const dir = meta.dir ? ` dir="${meta.dir}"` : '';
  const byline = [meta.byline, meta.siteName].filter(Boolean).join(' · ');
  return `<!doctype html><html${lang}${dir}><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${ARTICLE_CSP}">
<meta name="referrer" content="no-referrer">
<style>${ARTICLE_STYLES}</style></head>
<body><main><header><h1>${escapeText(meta.title)}</h1>${
    byline ? `<p class="byline">${escapeText(byline)}</p>` : ''
  }</header><div id="${ARTICLE_BODY_ID}">${withImages(article.html, images)}</div></main></body></html>`;
}
