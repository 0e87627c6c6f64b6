// The allow-list an article snapshot passes through (DOMPurify on jsdom's window). What survives is
// text markup only: no scripts or handlers, no styles (a `url()` in CSS is a request), no forms,
// frames, embeds, media or SVG/MathML, and no URL but http(s)/mailto links, in-page fragments and
// `curio-image:<n>` images. The reader shows it in a sandboxed frame, but it is safe on its own.
import createDOMPurify, { type Config } from 'dompurify';
import { ARTICLE_IMAGE_SCHEME } from '../../../shared/article';

const ALLOWED_TAGS = [
  'a',
  'abbr',
  'article',
  'aside',
  'b',
  'bdi',
  'bdo',
  'blockquote',
  'br',
  'caption',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'details',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'section',
  'small',
  'span',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'u',
  'ul',
  'var',
  'wbr',
];

/** Attributes that never hold a URL; DOMPurify tests every other value as one. */
const PLAIN_ATTR = [
  'alt',
  'title',
  'width',
  'height',
  'id',
  'lang',
  'dir',
  'colspan',
  'rowspan',
  'headers',
  'scope',
  'datetime',
  'start',
  'reversed',
  'value',
  'open',
];
const ALLOWED_ATTR = ['href', 'src', ...PLAIN_ATTR];

const IMAGE_PLACEHOLDER = new RegExp(`^${ARTICLE_IMAGE_SCHEME}\\d+$`);
/** DOMPurify's own URL test, which it runs after removing whitespace and control characters. */
const ALLOWED_URI = new RegExp(`^(?:https?:|mailto:|#|${ARTICLE_IMAGE_SCHEME}\\d+$)`, 'i');

const CONFIG: Config & { RETURN_DOM: true } = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ADD_URI_SAFE_ATTR: PLAIN_ATTR,
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
  SANITIZE_DOM: true,
  // Ids stay as written so footnote links (`#fn1`) still land; with no script to run in the
  // reader, clobbering named properties cannot do harm, and SANITIZE_DOM still drops the rest.
  SANITIZE_NAMED_PROPS: false,
  WHOLE_DOCUMENT: false,
  KEEP_CONTENT: true,
  RETURN_DOM: true,
};

/** A link Curio keeps: http(s) or mailto, written out canonically; an in-page `#fragment`. */
function safeHref(value: string): string | null {
  if (/^#[^\s]*$/.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    if (url.protocol === 'mailto:') return url.href;
  } catch {
    // Not an absolute URL: Readability already made every page link absolute.
  }
  return null;
}

/**
 * An element parsed with `is="…"` keeps that name even when the attribute is removed, and the
 * serialiser writes it back out; a plain copy of the element has none.
 */
function dropCustomElementNames(root: Element): void {
  for (const named of Array.from(root.querySelectorAll('[is]'))) {
    const plain = named.ownerDocument.createElementNS(named.namespaceURI, named.localName);
    for (const { name, value } of Array.from(named.attributes)) {
      if (name !== 'is') plain.setAttribute(name, value);
    }
    plain.append(...Array.from(named.childNodes));
    named.replaceWith(plain);
  }
}

/**
 * Gives `window` (jsdom's) a sanitiser for article HTML; returns a `<div>` holding the clean
 * article. The HTML is parsed as the inside of an element, as a reader's frame will place it, so
 * markup such as a leading <frameset> cannot replace the document's body.
 */
export function createArticleSanitizer(window: Window): (html: string) => HTMLElement {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (element.nodeType !== 1) return;
    // Links only on <a>, pictures only on <img>: elsewhere the attributes mean nothing, or more.
    if (element.tagName !== 'A') element.removeAttribute('href');
    if (element.tagName !== 'IMG') element.removeAttribute('src');
    if (element.tagName === 'A') {
      const href = element.getAttribute('href');
      const safe = href === null ? null : safeHref(href.trim());
      if (safe === null) element.removeAttribute('href');
      else element.setAttribute('href', safe);
      if (safe && !safe.startsWith('#')) {
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
  // `target` and `rel` are written by the hook above, never taken from the page.
  purify.addHook('uponSanitizeAttribute', (_node, event) => {
    if (event.attrName === 'src' && !IMAGE_PLACEHOLDER.test(event.attrValue)) {
      event.keepAttr = false;
    }
  });
  return (html) => {
    const parsed = window.document.createElement('div');
    parsed.innerHTML = html;
    dropCustomElementNames(parsed);
    // Given a node, DOMPurify sanitises a copy inside a fresh document's body. It drops the copy
    // whole when it holds only text that looks like markup; then nothing is left to keep.
    const body =
      ((purify.sanitize(parsed, CONFIG) as HTMLElement).firstElementChild as HTMLElement | null) ??
      window.document.createElement('div');
    // An image whose source was not captured would show as a broken picture.
    for (const img of Array.from(body.querySelectorAll('img'))) {
      if (!img.hasAttribute('src')) img.remove();
    }
    return body;
  };
}
