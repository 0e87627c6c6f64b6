// Quick capture: a link sent to Curio from anywhere, as `curio://add?url=…&title=…&note=…` (the
// desktop app's registered protocol) or web mode's `/add?url=…`. Whatever arrives is parsed here
// and refused with a reason when it is not an http(s) link or a value is too long; nothing is
// saved until the curator confirms the Add link dialog it opens.
import { MAX_TITLE, isHttpUrl } from './model';

export const QUICK_CAPTURE_LIMITS = { url: 4000, title: MAX_TITLE, note: 10_000 } as const;

/** The path web mode and the app's own origin open quick capture at. */
export const QUICK_CAPTURE_PATH = '/add';

export interface QuickCapture {
  url: string;
  title: string;
  note: string;
}

export type QuickCaptureResult = { ok: true; capture: QuickCapture } | { ok: false; error: string };

const FIELDS = ['url', 'title', 'note'] as const;

export function parseQuickCapture(params: URLSearchParams): QuickCaptureResult {
  const values = {} as Record<(typeof FIELDS)[number], string>;
  for (const field of FIELDS) {
    const all = params.getAll(field);
    if (all.length > 1) return { ok: false, error: `The link to Curio names its ${field} twice.` };
    const value = (all[0] ?? '').trim();
    if (value.length > QUICK_CAPTURE_LIMITS[field]) {
      return {
        ok: false,
        error: `The ${field} sent to Curio is ${value.length.toLocaleString('en')} characters long; at most ${QUICK_CAPTURE_LIMITS[field].toLocaleString('en')} are taken.`,
      };
    }
    values[field] = value;
  }
  if (!values.url) return { ok: false, error: 'The link sent to Curio has no url to save.' };
  if (!isHttpUrl(values.url)) {
    return { ok: false, error: 'Curio saves only http and https links; this one was neither.' };
  }
  return { ok: true, capture: values };
}

/** The canonical query string of a capture, as the desktop app hands it to its window. */
export function quickCaptureQuery(capture: QuickCapture): string {
  const params = new URLSearchParams({ url: capture.url });
  if (capture.title) params.set('title', capture.title);
  if (capture.note) params.set('note', capture.note);
  return params.toString();
}

/**
 * The bookmarklet that sends the page in the browser (and the words selected on it, as the note)
 * to Curio at `target` (`curio://add`, or web mode's `http://127.0.0.1:PORT/add`).
 */
export function bookmarklet(target: string): string {
  const send = target.startsWith('curio:') ? 'location.href=' : 'open';
  const body =
    `var s=String(getSelection()).slice(0,${QUICK_CAPTURE_LIMITS.note});` +
    `var t=document.title.slice(0,${QUICK_CAPTURE_LIMITS.title});` +
    `${send}(${JSON.stringify(target + '?url=')}+encodeURIComponent(location.href)` +
    `+'&title='+encodeURIComponent(t)+(s?'&note='+encodeURIComponent(s):''))`;
  return `javascript:(function(){${body}})()`;
}

/** The scheme and host the operating system hands the desktop app: `curio://add?url=…`. */
export const QUICK_CAPTURE_URL = 'curio://add';

/**
 * The app page a `curio://add?…` link opens (`<appBase>add?<query>`), or null when the link is
 * not quick capture or carries nothing Curio would save. Only the parsed fields pass through.
 */
export function quickCapturePage(raw: string, appBase: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'curio:' || url.host !== 'add') return null;
  const parsed = parseQuickCapture(url.searchParams);
  if (!parsed.ok) return null;
  return `${appBase}${QUICK_CAPTURE_PATH.slice(1)}?${quickCaptureQuery(parsed.capture)}`;
}
