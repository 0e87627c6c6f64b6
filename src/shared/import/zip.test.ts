import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseImport } from '.';
import { MAX_ZIP_ENTRIES, listZip } from './zip';

const header = 'title,url,time_added,tags,status\n';

/** Rewrites the sizes a central directory claims for its first entry. */
function claimSizes(zip: Uint8Array, compressed: number | null, original: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i < out.length - 4; i++) {
    if (view.getUint32(i, true) === 0x02014b50) {
      if (compressed !== null) view.setUint32(i + 20, compressed, true);
      view.setUint32(i + 24, original, true);
      return out;
    }
  }
  throw new Error('no central directory');
}

describe('ZIP limits, checked before inflating', () => {
  it(`refuses more than ${MAX_ZIP_ENTRIES.toLocaleString('en')} entries`, async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= MAX_ZIP_ENTRIES; i++) files[`part_${i}.csv`] = new Uint8Array(0);
    const result = await parseImport({ bytes: zipSync(files, { level: 0 }), name: 'many.zip' });
    expect(result.error).toBe(
      'The archive has more than 10,000 entries; Curio reads archives up to that size.',
    );
  });

  it('refuses an entry that expands more than 100 times', async () => {
    const bomb = zipSync({ 'part_0.csv': strToU8(header + 'x'.repeat(1_000_000)) }, { level: 9 });
    const result = await parseImport({ bytes: bomb, name: 'bomb.zip' });
    expect(result.error).toMatch(
      /^The archive entry "part_0.csv" expands \d+ times; Curio refuses archives that expand more than 100 times.$/,
    );
  });

  it('refuses entry names that climb out with ..', async () => {
    const zip = zipSync({ '../../etc/part.csv': strToU8(header) });
    expect((await parseImport({ bytes: zip, name: 'evil.zip' })).error).toBe(
      'The archive has an entry named "../../etc/part.csv" that points outside it; Curio does not open such archives.',
    );
  });

  it('refuses an archive that claims to expand past 200 MB', () => {
    const zip = claimSizes(
      zipSync({ 'a.csv': strToU8(header) }, { level: 0 }),
      3_000_000,
      201 * 1024 * 1024,
    );
    expect(() => listZip(zip)).toThrow(
      'The archive would expand to more than 200 MB; Curio imports up to 200 MB.',
    );
  });

  it('reports a damaged archive instead of throwing', async () => {
    const zip = zipSync({ 'part_0.csv': strToU8(header + 'A,https://a.example/,1,,unread\n') });
    const result = await parseImport({ bytes: zip.slice(0, zip.length - 30), name: 'cut.zip' });
    expect(result.error).toMatch(/^The archive is damaged and cannot be read/);
  });

  it('cannot be made to inflate more than an entry claims', async () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `T${i},https://e${i}.example/,1,,unread`,
    ).join('\n');
    const zip = zipSync({ 'part_0.csv': strToU8(`${header}${rows}\n`) }, { level: 9 });
    const result = await parseImport({ bytes: claimSizes(zip, null, 80), name: 'lying.zip' });
    // 80 bytes hold the header, one row and the start of another: the rest is never kept.
    expect(result.items.length).toBeLessThanOrEqual(2);
  });
});
