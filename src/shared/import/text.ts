// Pasted or dropped text and Markdown: every http(s) address in it becomes an item, and a
// Markdown link's text becomes the title. mdast finds the links (inline, reference and autolinks);
// bare addresses in the text between them are found by pattern, as chat apps find them.
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';
import { DraftCollector } from './collect';
import type { ImportRun } from './result';

const BARE_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const NODES_PER_BATCH = 5_000;

/** Drops sentence punctuation after an address, and a closing bracket it did not open. */
function trimTrailing(url: string): string {
  let out = url.replace(/[.,;:!?'"]+$/, '');
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (out.endsWith(close) && out.split(close).length > out.split(open).length) {
      out = out.slice(0, -1).replace(/[.,;:!?'"]+$/, '');
    }
  }
  return out;
}

export async function parseText(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  const tree = fromMarkdown(text);
  const definitions = new Map<string, { url: string; title: string }>();
  // Explicit stack: a list nested thousands deep must not exhaust the call stack.
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'definition')
      definitions.set(node.identifier, { url: node.url, title: node.title ?? '' });
    if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  stack.push(tree);
  let visited = 0;
  while (stack.length) {
    const node = stack.pop()!;
    const line = node.position?.start.line ?? 0;
    if (node.type === 'link') {
      const label = toString(node).trim();
      out.add(`line ${line}`, {
        url: node.url,
        title: label === node.url ? node.title : label || node.title,
      });
      continue;
    }
    if (node.type === 'linkReference') {
      const target = definitions.get(node.identifier);
      if (target)
        out.add(`line ${line}`, { url: target.url, title: toString(node).trim() || target.title });
      continue;
    }
    if (
      node.type === 'text' ||
      node.type === 'inlineCode' ||
      node.type === 'code' ||
      node.type === 'html'
    ) {
      for (const match of node.value.matchAll(BARE_URL)) {
        const before = node.value.slice(0, match.index);
        const at = line + (before.match(/\n/g)?.length ?? 0);
        out.add(`line ${at}`, { url: trimTrailing(match[0]) });
      }
    }
    if ('children' in node)
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    if (++visited % NODES_PER_BATCH === 0) await run.checkpoint(line, text.length);
  }
  return out;
}
