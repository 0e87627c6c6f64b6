// npx tsx bench/import-parse.ts [count]: how long parseImport takes on a Netscape bookmark file of
// `count` links (100,000 by default) in nested folders, and on a Pocket CSV of the same size.
import { performance } from 'node:perf_hooks';
import { parseImport } from '../src/shared/import';

const count = Number(process.argv[2] ?? 100_000);

function netscapeFile(n: number): string {
  const lines = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<TITLE>Bookmarks</TITLE>',
    '<H1>Bookmarks</H1>',
    '<DL><p>',
  ];
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) {
      if (i) lines.push('    </DL><p>');
      lines.push(`    <DT><H3 ADD_DATE="1600000000">Folder ${i / 1000}</H3>`, '    <DL><p>');
    }
    lines.push(
      `        <DT><A HREF="https://example${i % 97}.com/articles/${i}?utm_source=feed" ADD_DATE="${1600000000 + i}" TAGS="distributed,systems">Article number ${i} &amp; more</A>`,
      `        <DD>A note about article ${i}`,
    );
  }
  lines.push('    </DL><p>', '</DL><p>');
  return lines.join('\n');
}

function pocketCsv(n: number): string {
  const lines = ['title,url,time_added,tags,status'];
  for (let i = 0; i < n; i++)
    lines.push(
      `"Article ${i}, part two",https://example${i % 97}.com/a/${i},${1600000000 + i},a|b,${i % 2 ? 'archive' : 'unread'}`,
    );
  return lines.join('\n');
}

async function measure(name: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const runs: number[] = [];
  let items = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const result = await parseImport({ bytes, name }, { yieldControl: () => Promise.resolve() });
    runs.push(performance.now() - start);
    items = result.items.length;
  }
  const best = Math.min(...runs);
  console.log(
    `${name}: ${items.toLocaleString('en')} links, ${(bytes.length / 1e6).toFixed(1)} MB, best of 3 ${best.toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms)`,
  );
}

await measure('bookmarks.html', netscapeFile(count));
await measure('pocket.csv', pocketCsv(count));
