// DesktopApi: everything the renderer asks of the machine it runs on. Electron serves it over IPC
// (src/main/electron), web mode over HTTP on loopback (src/web); both validate every argument with
// the schemas below before a service sees it, and both answer with the same shapes.
import { z } from 'zod';
import type { ImportResult } from './import/result';
import { SnapshotOptionsSchema, type ArticleSnapshot, type SnapshotOptions } from './article';
import { BACKUP_ID, BackupRequestSchema, type BackupInfo, type BackupRequest } from './backups';
import { isDesktopMethod, type DesktopMethod, type SameNames } from './desktop-bridge';
import { publishingApiArgs, type PublishingApi } from './publish/api';

export type { DesktopMethod } from './desktop-bridge';

export const UnfurlResultSchema = z.object({
  /** The URL after redirects, cleaned of tracking parameters. */
  url: z.string(),
  title: z.string(),
  description: z.string(),
  image: z.string().nullable(),
  siteName: z.string().nullable(),
});
export type UnfurlResult = z.infer<typeof UnfurlResultSchema>;

export interface AppInfo {
  mode: 'electron' | 'web';
  version: string;
  platform: string;
}

/** Arguments of each method, as a tuple schema; the transport parses with these at the edge. */
export const desktopApiArgs = {
  appInfo: z.tuple([]),
  unfurl: z.tuple([z.string().min(1).max(4000).describe('url')]),
  openExternal: z.tuple([z.string().url().max(4000).describe('url')]),
  importBlueskyAccount: z.tuple([
    z
      .object({ serviceUrl: z.string().url().max(2000), handle: z.string().trim().min(1).max(300) })
      .describe('account'),
  ]),
  snapshotArticle: z.tuple([
    z.string().min(1).max(4000).describe('url'),
    SnapshotOptionsSchema.describe('options'),
  ]),
  writeBackup: z.tuple([BackupRequestSchema.describe('backup')]),
  listBackups: z.tuple([]),
  readBackup: z.tuple([z.string().regex(BACKUP_ID, 'not a backup id').describe('id')]),
  ...publishingApiArgs,
} as const;

// Every method named in the bridge has its argument schema, and no schema names another.
const argsForEveryMethod: SameNames<keyof typeof desktopApiArgs, DesktopMethod> = true;
void argsForEveryMethod;

export interface DesktopApi extends PublishingApi {
  appInfo(): Promise<AppInfo>;
  /** Fetches a page and reads its title, description and preview image (Open Graph, Twitter, HTML). */
  unfurl(url: string): Promise<UnfurlResult>;
  /** Opens an http(s) link in the system browser; anything else is refused. */
  openExternal(url: string): Promise<void>;
  /** Reads a Bluesky account's public posts with link cards as import drafts; no login needed. */
  importBlueskyAccount(account: { serviceUrl: string; handle: string }): Promise<ImportResult>;
  /**
   * Fetches a page and keeps its article for reading offline (see ArticleSnapshotSchema).
   * Fails with an error named `Article<kind>` (ARTICLE_FAILURES) whose message is for the curator.
   */
  snapshotArticle(url: string, options: SnapshotOptions): Promise<ArticleSnapshot>;
  /**
   * Writes a backup of a collection into the data folder: its update log compacted into one
   * document, and the same collection as Curio JSON; then prunes old backups (shared/backups.ts).
   */
  writeBackup(backup: BackupRequest): Promise<BackupInfo>;
  /** The backups in the data folder, of every collection, newest first. */
  listBackups(): Promise<BackupInfo[]>;
  /** A backup's compacted collection document, to open as a new collection. */
  readBackup(id: string): Promise<Uint8Array>;
}

/** An error as it crosses a transport: the name lets the renderer tell kinds apart. */
export const ApiErrorSchema = z.object({ name: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiErrorSchema>;

export class DesktopApiError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Parses and dispatches one call: the single place where transport input meets the services. */
export async function dispatchDesktopCall(
  api: DesktopApi,
  method: string,
  rawArgs: unknown,
): Promise<unknown> {
  if (!isDesktopMethod(method)) {
    throw new DesktopApiError('UnknownMethod', `Unknown method "${method}".`);
  }
  const schema = desktopApiArgs[method];
  const parsed = schema.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DesktopApiError(
      'InvalidArguments',
      `Invalid arguments for ${method}: ${describeIssue(schema, issue)}.`,
    );
  }
  const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}

/** Names the argument an issue is about ("url (argument 1)"), so the message says what to fix. */
function describeIssue(
  schema: (typeof desktopApiArgs)[DesktopMethod],
  issue: z.core.$ZodIssue | undefined,
): string {
  if (!issue) return 'malformed';
  const index = issue.path[0];
  if (typeof index !== 'number') return issue.message;
  const items: readonly z.ZodType[] = schema.def.items;
  const name = items[index]?.description;
  return `${name ? `${name} (argument ${index + 1})` : `argument ${index + 1}`}: ${issue.message}`;
}

/**
 * Bytes cross web mode's JSON as `{"$bytes": "<base64>"}`, both ways (Electron's IPC carries them
 * as they are). Each end brings its own base64 codec: Node's Buffer, the browser's Uint8Array.
 */
const BYTES = '$bytes';

export function bytesReplacer(encode: (bytes: Uint8Array) => string) {
  return (_key: string, value: unknown): unknown =>
    value instanceof Uint8Array ? { [BYTES]: encode(value) } : value;
}

/**
 * `JSON.stringify(value, bytesReplacer(encode))` in pieces: the text between byte arrays, and
 * each array's base64 encoded only when its piece is asked for, so a caller can spread a large
 * body over several tasks. `marker` must not occur in the value's strings.
 */
export function* jsonWithBytesInPieces(
  value: unknown,
  encode: (bytes: Uint8Array) => string,
  marker: string,
): Generator<string> {
  const arrays: Uint8Array[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? `${marker}${arrays.push(v) - 1}` : v,
  );
  const pieces = text.split(new RegExp(`"${marker}(\\d+)"`));
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) yield pieces[i]!;
    else yield JSON.stringify({ [BYTES]: encode(arrays[Number(pieces[i])]!) });
  }
}

export function bytesReviver(decode: (base64: string) => Uint8Array) {
  return (_key: string, value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    const base64 = (value as Record<string, unknown>)[BYTES];
    return keys.length === 1 && typeof base64 === 'string' ? decode(base64) : value;
  };
}

/** Web mode hands the page its per-launch API token in `<meta name="curio-api-token">`. */
export const API_TOKEN_META = 'curio-api-token';

/** The transport form of any thrown value: its name (for telling kinds apart) and message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  return { name: 'Error', message: String(error) };
}
