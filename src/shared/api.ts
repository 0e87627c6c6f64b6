// DesktopApi: everything the renderer asks of the machine it runs on. Electron serves it over IPC
// (src/main/electron), web mode over HTTP on loopback (src/web); both validate every argument with
// the schemas below before a service sees it, and both answer with the same shapes.
import { z } from 'zod';

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
  unfurl: z.tuple([z.string().min(1).max(4000)]),
  openExternal: z.tuple([z.string().url().max(4000)]),
} as const;

export type DesktopMethod = keyof typeof desktopApiArgs;

export interface DesktopApi {
  appInfo(): Promise<AppInfo>;
  /** Fetches a page and reads its title, description and preview image (Open Graph, Twitter, HTML). */
  unfurl(url: string): Promise<UnfurlResult>;
  /** Opens an http(s) link in the system browser; anything else is refused. */
  openExternal(url: string): Promise<void>;
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
  if (!Object.prototype.hasOwnProperty.call(desktopApiArgs, method)) {
    throw new DesktopApiError('UnknownMethod', `Unknown method "${method}".`);
  }
  const schema = desktopApiArgs[method as DesktopMethod];
  const parsed = schema.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DesktopApiError(
      'InvalidArguments',
      `Invalid arguments for ${method}: ${issue ? `${issue.path.join('.') || 'arguments'} ${issue.message}` : 'malformed'}.`,
    );
  }
  const fn = api[method as DesktopMethod] as (...args: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}
