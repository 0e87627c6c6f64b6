// How deeply a JSON text nests, read from its bytes as they arrive, before JSON.parse builds
// anything: a body of nothing but brackets costs the parser seconds and the scan milliseconds.
// UTF-8 continuation bytes are all 0x80 or above, so no character of a string is mistaken for one
// of the ASCII brackets, quotes or backslashes this looks for.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

export class JsonDepthScanner {
  /** The deepest nesting seen so far: 1 for `[]`, 2 for `[{}]`. */
  deepest = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  /** Reads the next bytes of the text; chunks may split it anywhere. */
  scan(bytes: Uint8Array): void {
    let { depth, deepest, inString, escaped } = this;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) {
        inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        depth += 1;
        if (depth > deepest) deepest = depth;
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        depth -= 1;
      }
    }
    this.depth = depth;
    this.deepest = deepest;
    this.inString = inString;
    this.escaped = escaped;
  }
}
