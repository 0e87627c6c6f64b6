import { describe, expect, it } from 'vitest';
import { parseImport, type ImportProgress } from '.';

function bookmarks(n: number): Uint8Array {
  const rows = Array.from(
    { length: n },
    (_, i) => `<DT><A HREF="https://e.example/${i}" ADD_DATE="1">L${i}</A>`,
  );
  return new TextEncoder().encode(
    `<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><p>\n${rows.join('\n')}\n</DL>`,
  );
}

function pocket(n: number): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) => `L${i},https://e.example/${i},1,,unread`);
  return new TextEncoder().encode(`title,url,time_added,tags,status\n${rows.join('\n')}\n`);
}

describe('progress and cancellation', () => {
  it.each([
    ['bookmarks.html', bookmarks(40_000)],
    ['pocket.csv', pocket(10_000)],
  ])('%s reports growing progress up to the whole file, between chunks', async (name, bytes) => {
    const seen: ImportProgress[] = [];
    const result = await parseImport({ bytes, name }, { onProgress: (p) => seen.push(p) });
    expect(result.items.length).toBe(name.endsWith('.html') ? 40_000 : 10_000);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
    expect(seen.every((p) => p.done <= p.total)).toBe(true);
  });

  it.each([
    ['bookmarks.html', bookmarks(40_000)],
    ['pocket.csv', pocket(10_000)],
  ])('%s stops at the next chunk once cancelled, with the abort reason', async (name, bytes) => {
    const controller = new AbortController();
    let calls = 0;
    const run = parseImport(
      { bytes, name },
      {
        signal: controller.signal,
        onProgress: () => {
          calls++;
          controller.abort(new Error('cancelled by the curator'));
        },
      },
    );
    await expect(run).rejects.toThrow('cancelled by the curator');
    expect(calls).toBe(1);
  });
});
