// What crosses Electron's bridge, and nothing more: the one IPC channel, the names of DesktopApi's
// methods and the shape of an answer. The preload builds window.curio from this list alone, so it
// carries neither zod nor the argument schemas (those run in the main process, see api.ts).
import type { ApiError, DesktopApi } from './api';

/** The one IPC channel of the Electron transport; the method name travels as its first argument. */
export const DESKTOP_IPC_CHANNEL = 'curio:call';

/**
 * The one message the main process sends a window unasked: a quick-capture page
 * (`curio://app/add?url=…`) for the app already open in it, which opens Add link without leaving
 * the page. The renderer parses it again like any capture.
 */
export const QUICK_CAPTURE_CHANNEL = 'curio:quick-capture';

/** What the preload exposes as `window.curioCaptures`. */
export interface CaptureBridge {
  /** Calls `listener` with each capture page sent, first those that came before; returns the undo. */
  subscribe(listener: (page: string) => void): () => void;
}

export const DESKTOP_METHODS = [
  'appInfo',
  'unfurl',
  'openExternal',
  'publishBluesky',
  'removeFromBluesky',
  'readConversations',
  'publishSite',
  'saveBlueskyPassword',
  'saveGitToken',
  'checkBluesky',
  'forgetCredential',
  'storedCredentials',
  'credentialStorage',
  'previewSite',
  'importBlueskyAccount',
  'snapshotArticle',
  'writeBackup',
  'listBackups',
  'readBackup',
] as const;

export type DesktopMethod = (typeof DESKTOP_METHODS)[number];

/** `true` when A and B are the same set of names; anything else fails where `true` is required. */
export type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// A method added to DesktopApi and not here, or left here after it went, fails to compile.
const listIsDesktopApi: SameNames<DesktopMethod, keyof DesktopApi> = true;
void listIsDesktopApi;

const methods: ReadonlySet<string> = new Set(DESKTOP_METHODS);

export function isDesktopMethod(name: unknown): name is DesktopMethod {
  return typeof name === 'string' && methods.has(name);
}

/**
 * What the IPC handler answers. Electron keeps only an Error's message when it crosses IPC or the
 * context bridge, so failures travel as data and the renderer rebuilds a DesktopApiError.
 */
export type DesktopCallOutcome = { ok: true; value: unknown } | { ok: false; error: ApiError };
