// Netscape bookmark HTML, the one format every browser and bookmark service imports. Notes go in
// <DD> (Raindrop and Pinboard read it as the note); read state as Pinboard's TOREAD; the
// description in a DESCRIPTION attribute other readers skip and Curio reads back.
import { isHttpUrl, type ItemRow } from '../model';

export function escapeHtmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeHtmlAttribute(value: string): string {
  return escapeHtmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

export function toNetscapeBookmarks(rows: readonly ItemRow[], title = 'Bookmarks'): string {
  const lines = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<!-- This is an automatically generated file.',
    '     It will be read and overwritten.',
    '     DO NOT EDIT! -->',
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
    `<TITLE>${escapeHtmlText(title)}</TITLE>`,
    `<H1>${escapeHtmlText(title)}</H1>`,
    '<DL><p>',
  ];
  for (const row of rows) {
    if (!isHttpUrl(row.url)) continue;
    const attrs = [`HREF="${escapeHtmlAttribute(row.url)}"`, `ADD_DATE="${seconds(row.addedAt)}"`];
    if (row.tags.length) attrs.push(`TAGS="${escapeHtmlAttribute(row.tags.join(','))}"`);
    attrs.push(`TOREAD="${row.readAt === null ? 1 : 0}"`);
    if (row.description) attrs.push(`DESCRIPTION="${escapeHtmlAttribute(row.description)}"`);
    lines.push(`    <DT><A ${attrs.join(' ')}>${escapeHtmlText(row.title)}</A>`);
    if (row.note.trim()) lines.push(`    <DD>${escapeHtmlText(row.note.trim())}`);
  }
  lines.push('</DL><p>', '');
  return lines.join('\n');
}
