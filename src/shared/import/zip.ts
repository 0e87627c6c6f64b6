// Reading ZIP archives (Pocket's and Omnivore's exports) without trusting them. Every limit is
// checked against the central directory before a single entry is inflated: the number of entries,
// their claimed sizes, the compression ratio and their names.
import { unzipSync } from 'fflate';

export const MAX_ZIP_ENTRIES = 10_000;
export const MAX_COMPRESSION_RATIO = 100;
/** The inflated total may not exceed the largest file Curio imports. */
export const MAX_INFLATED_BYTES = 200 * 1024 * 1024;

export class UnsafeArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArchiveError';
  }
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  size: number;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

function checkName(name: string): void {
  const parts = name.split(/[\\/]/);
  if (parts.includes('..') || name.startsWith('/') || /^[a-z]:/i.test(name)) {
    throw new UnsafeArchiveError(
      `The archive has an entry named "${name.slice(0, 120)}" that points outside it; Curio does not open such archives.`,
    );
  }
}

/** The archive's entries as its central directory describes them; throws UnsafeArchiveError. */
export function listZip(bytes: Uint8Array): ZipEntryInfo[] {
  const entries: ZipEntryInfo[] = [];
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        if (entries.length >= MAX_ZIP_ENTRIES) {
          throw new UnsafeArchiveError(
            `The archive has more than ${MAX_ZIP_ENTRIES.toLocaleString('en')} entries; Curio reads archives up to that size.`,
          );
        }
        checkName(file.name);
        if (file.compression !== 0 && file.compression !== 8) {
          throw new UnsafeArchiveError(
            `The archive entry "${file.name.slice(0, 120)}" uses a compression method Curio cannot read (${file.compression}).`,
          );
        }
        const ratio = file.originalSize / Math.max(file.size, 1);
        if (file.originalSize > 1024 && ratio > MAX_COMPRESSION_RATIO) {
          throw new UnsafeArchiveError(
            `The archive entry "${file.name.slice(0, 120)}" expands ${Math.round(ratio)} times; Curio refuses archives that expand more than ${MAX_COMPRESSION_RATIO} times.`,
          );
        }
        total += file.originalSize;
        if (total > MAX_INFLATED_BYTES) {
          throw new UnsafeArchiveError(
            'The archive would expand to more than 200 MB; Curio imports up to 200 MB.',
          );
        }
        entries.push({ name: file.name, compressedSize: file.size, size: file.originalSize });
        return false;
      },
    });
  } catch (error) {
    if (error instanceof UnsafeArchiveError) throw error;
    throw new UnsafeArchiveError(
      `The archive is damaged and cannot be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return entries;
}

/**
 * Inflates the entries `want` accepts, after listZip has vetted the whole archive. The inflater
 * writes into a buffer of the size the directory claimed, so a lying entry cannot grow past it.
 */
export function readZip(
  bytes: Uint8Array,
  want: (name: string) => boolean,
): Map<string, Uint8Array> {
  const entries = listZip(bytes);
  const wanted = new Set(entries.filter((e) => want(e.name)).map((e) => e.name));
  try {
    const files = unzipSync(bytes, { filter: (file) => wanted.has(file.name) });
    return new Map(Object.entries(files));
  } catch (error) {
    throw new UnsafeArchiveError(
      `The archive is damaged and cannot be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
