// The one Content-Security-Policy of the app, sent by Electron's protocol handler and web mode's
// server alike. Styles allow 'unsafe-inline' because CodeMirror mounts its themes as <style>
// elements and y-codemirror.next colours remote cursors with style attributes; scripts never do.
// Beside it, the headers that make the page cross-origin isolated.

export interface CspOptions {
  /** Vite's dev server injects an inline React Refresh preamble; only `electron-vite dev` needs it. */
  devServer?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...(options.devServer ? ["'unsafe-inline'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    // Thumbnails come from anywhere on the web; article snapshots are shown from blob: URLs.
    'img-src': ["'self'", 'https:', 'http:', 'data:', 'blob:'],
    // The sync hub lives on whatever host the invite names: its WebSocket, and the HTTP endpoint
    // beside it that the sync client asks whether an invite is still good.
    'connect-src': ["'self'", 'ws:', 'wss:', 'http:', 'https:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Cross-origin isolation, so the window may share memory with the search worker (see
 * src/shared/search/channel.ts). Credentialless rather than require-corp: pictures from other
 * sites (link cards) still load, without cookies.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'credentialless',
} as const;
