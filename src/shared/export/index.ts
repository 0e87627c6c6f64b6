// Serialisers: rows (all, the current view or a selection) to the file a curator takes away.
export * from './curio-json';
export { toNetscapeBookmarks, escapeHtmlAttribute, escapeHtmlText } from './netscape';
export { toCsv, CURIO_CSV_COLUMNS } from './csv';
export { toMarkdownList, toMarkdownFile, toMarkdownZip, slug } from './markdown';
export { documentExport, documentMembers, documentImports, withWholeNotes } from './from-document';
