// Exports of many links in the shapes the tools write, for the import benchmarks: a Netscape
// bookmark file in folders of 1,000 with tags (and a `<DD>` note on every link unless told not
// to, as browsers write none), and a Pocket CSV.

export function netscapeFile(n: number, { notes = true } = {}): string {
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
    );
    if (notes) lines.push(`        <DD>A note about article ${i}`);
  }
  lines.push('    </DL><p>', '</DL><p>');
  return lines.join('\n');
}

export function pocketCsv(n: number): string {
  const lines = ['title,url,time_added,tags,status'];
  for (let i = 0; i < n; i++)
    lines.push(
      `"Article ${i}, part two",https://example${i % 97}.com/a/${i},${1600000000 + i},a|b,${i % 2 ? 'archive' : 'unread'}`,
    );
  return lines.join('\n');
}
