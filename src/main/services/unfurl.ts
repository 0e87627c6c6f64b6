// unfurl: given a link, what a curator sees before opening it — title, description, preview image
// and site name — plus the link itself after redirects, cleaned of tracking parameters. Anything
// that is not a readable HTML page yields empty fields rather than garbage.
import sniffHtmlEncoding from 'html-encoding-sniffer';
import type { UnfurlResult } from '../../shared/api';
import { cleanUrl, parseHttpUrl } from '../../shared/model';
import { PageMetadataReader } from './page-metadata';
import { safeFetch, type SafeFetchOptions, type SafeResponse } from './safe-fetch';

export type UnfurlOptions = Omit<SafeFetchOptions, 'accept'>;

const HTML_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
/** '' because servers that send no Content-Type are mostly serving HTML; the sniffing below checks. */
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml', '']);
/** The HTML standard's encoding prescan looks at this many bytes, and so does the binary check. */
const SNIFF_BYTES = 1024;

/** Bytes that never occur in text (the MIME Sniffing standard's "binary data bytes"). */
function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f))
      return true;
  }
  return false;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The decoder the HTML standard's sniffing picks (BOM, then the header's charset, then a <meta>
 * prescan). For unlabelled pages it guesses UTF-8 when the bytes are valid UTF-8, as browsers'
 * content detection does, and windows-1252 otherwise. Null for encodings with no decoder here.
 */
function decoderFor(head: Uint8Array, charset: string | undefined): TextDecoder | null {
  const encoding = sniffHtmlEncoding(head, {
    transportLayerEncodingLabel: charset,
    defaultEncoding: isUtf8(head) ? 'UTF-8' : 'windows-1252',
  });
  if (!encoding.startsWith('UTF-16') && looksBinary(head)) return null;
  try {
    return new TextDecoder(encoding);
  } catch {
    return null;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

type Metadata = Omit<UnfurlResult, 'url'>;
const NOTHING: Metadata = { title: '', description: '', image: null, siteName: null };

/** Streams the page into the metadata reader until its head ends (or the body, or a limit). */
async function readMetadata(response: SafeResponse): Promise<Metadata> {
  const reader = new PageMetadataReader();
  const sniffed: Uint8Array[] = [];
  let sniffedBytes = 0;
  let decoder: TextDecoder | null | undefined;

  const startDecoding = async (): Promise<TextDecoder | null> => {
    const head = concat(sniffed);
    const found = decoderFor(head, response.charset);
    if (found) await reader.write(found.decode(head, { stream: true }));
    return found;
  };

  for await (const chunk of response.body) {
    if (decoder === undefined) {
      sniffed.push(chunk);
      sniffedBytes += chunk.byteLength;
      if (sniffedBytes < SNIFF_BYTES) continue;
      decoder = await startDecoding();
      if (decoder === null) return NOTHING;
    } else if (decoder) {
      await reader.write(decoder.decode(chunk, { stream: true }));
    }
    if (reader.headEnded) break;
  }
  decoder ??= await startDecoding();
  if (decoder === null) return NOTHING;
  if (!reader.headEnded) await reader.write(decoder.decode());
  await reader.end();
  return reader.result(response.url);
}

/**
 * Fetches `input` and reads its preview. Throws InvalidUrlError for input that is not an http(s)
 * link and FetchError when the page cannot be fetched within the limits.
 */
export async function unfurl(input: string, options: UnfurlOptions = {}): Promise<UnfurlResult> {
  const requested = parseHttpUrl(input);
  const response = await safeFetch(requested.toString(), { ...options, accept: HTML_ACCEPT });
  try {
    // safeFetch follows no link with a user name or password, so the final URL carries none.
    const url = cleanUrl(response.url);
    if (!HTML_TYPES.has(response.mimeType)) {
      // An image link previews as itself; other files (PDF, zip, …) have nothing to show.
      return { url, ...NOTHING, image: response.mimeType.startsWith('image/') ? url : null };
    }
    return { url, ...(await readMetadata(response)) };
  } finally {
    await response.cancel();
  }
}
