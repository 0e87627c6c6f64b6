// Bytes to text. Exports are UTF-8 almost always, sometimes with a byte order mark; older Windows
// tools write UTF-16 or Windows-1252. A file that is not valid UTF-8 is read as Windows-1252 (every
// byte is a character there), and the import says so rather than showing mojibake in silence.
import type { ImportProblem } from './draft';
import type { TextEncoding } from './result';

// WHATWG's windows-1252 maps 0x80–0x9F to typographic characters; some runtimes (Node built
// without full ICU) decode the label as Latin-1 and leave C1 controls there instead.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252')
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  problems: ImportProblem[];
}

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16 without a byte order mark: in mostly-ASCII text every other byte is zero. */
function sniffUtf16(bytes: Uint8Array): TextEncoding | null {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.1) return 'utf-16le';
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.1) return 'utf-16be';
  return null;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const problems: ImportProblem[] = [];
  const bom = bomOf(bytes);
  let encoding: TextEncoding;
  let text: string;
  if (bom) {
    encoding = bom.encoding;
    text = new TextDecoder(encoding).decode(bytes.subarray(bom.length));
  } else {
    const utf16 = sniffUtf16(bytes);
    if (utf16) {
      encoding = utf16;
      text = new TextDecoder(utf16).decode(bytes);
    } else {
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        encoding = 'utf-8';
      } catch {
        text = decodeWindows1252(bytes);
        encoding = 'windows-1252';
        problems.push({
          where: '',
          message:
            'the file is not valid UTF-8, so it was read as Windows-1252 (Western European); check accented letters in the preview',
          kind: 'warning',
        });
      }
    }
  }
  if (text.includes('\u0000')) {
    const count = text.split('\u0000').length - 1;
    text = text.replaceAll('\u0000', '');
    problems.push({
      where: '',
      message: `the file contains ${count.toLocaleString('en')} NUL byte${count === 1 ? '' : 's'}; they were removed`,
      kind: 'warning',
    });
  }
  return { text, encoding, problems };
}
