// Why a snapshot failed, in words a curator reads on the item. The error's name (`Article<kind>`)
// crosses the transport, so the renderer can tell a dead link from a slow one.
import { STATUS_CODES } from 'node:http';
import type { ArticleFailureKind } from '../../../shared/article';
import { FetchError } from '../safe-fetch';
import { LocalAddressError } from '../address-guard';

export class ArticleError extends Error {
  constructor(
    readonly kind: ArticleFailureKind,
    message: string,
  ) {
    super(message);
    this.name = `Article${kind}`;
  }
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function megabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** The status a FetchError('HttpStatus') names: its message says "<host> answered <status>". */
function statusOf(error: FetchError): number | null {
  const match = error.message.match(/answered (\d{3})\b/);
  return match ? Number(match[1]) : null;
}

export function httpStatusError(status: number | null): ArticleError {
  if (status === null) return new ArticleError('HttpStatus', 'Page answered with an error.');
  const reason = STATUS_CODES[status];
  const answered = `Page answered ${status}${reason ? ` (${reason})` : ''}`;
  if (status >= 500 || status === 408 || status === 429) {
    return new ArticleError('ServerError', `${answered}; the site may be busy or down for now.`);
  }
  return new ArticleError('HttpStatus', `${answered}; check that the link still works.`);
}

export interface PageLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

/** Says in the curator's words which limit or failure a page fetch ran into. */
export function articleErrorFrom(error: unknown, limits: PageLimits): ArticleError {
  if (error instanceof ArticleError) return error;
  if (error instanceof LocalAddressError) return new ArticleError('LocalAddress', error.message);
  if (!(error instanceof FetchError)) {
    return new ArticleError(
      'Unreachable',
      `Could not read the page (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  switch (error.kind) {
    case 'HttpStatus':
      return httpStatusError(statusOf(error));
    case 'Timeout':
      return new ArticleError(
        'Timeout',
        `Took longer than ${seconds(limits.timeoutMs)} to load; the site may be slow or down.`,
      );
    case 'TooLarge':
      return new ArticleError(
        'TooLarge',
        `Larger than ${megabytes(limits.maxBytes)}, more than Curio keeps of one page.`,
      );
    case 'TooManyRedirects':
      return new ArticleError(
        'TooManyRedirects',
        `Redirected more than ${limits.maxRedirects} times (a redirect loop?); open it in a browser to see where it leads.`,
      );
    case 'UnsupportedScheme':
    case 'Credentials':
      return new ArticleError('UnsupportedLink', error.message);
    case 'Aborted':
      return new ArticleError('Cancelled', 'Saving the article was cancelled.');
    case 'Network':
      return new ArticleError('Unreachable', error.message);
  }
}
