// The package ships no types; this is its documented signature (v6).
declare module 'html-encoding-sniffer' {
  interface SniffOptions {
    xml?: boolean;
    /** The charset from Content-Type, if the server sent one. */
    transportLayerEncodingLabel?: string | undefined;
    defaultEncoding?: string;
  }
  /** Returns the WHATWG encoding name (`UTF-8`, `windows-1252`, …) the HTML standard's sniffing picks. */
  export default function sniffHTMLEncoding(bytes: Uint8Array, options?: SniffOptions): string;
}
