// The article's text as highlights address it: the characters of its text nodes in document order
// (what `textContent` gives), so an offset means the same thing on every device whose copy has
// the same words. Drawing wraps the text in <mark> elements, which leaves that text unchanged.
export const HIGHLIGHT_ATTRIBUTE = 'data-highlight';

function textNodes(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** The offset in the root's text of a DOM position (a selection's start or end). */
export function textOffset(root: Node, container: Node, offset: number): number | null {
  if (!root.contains(container)) return null;
  const doc = root.ownerDocument ?? (root as Document);
  const before = doc.createRange();
  before.setStart(root, 0);
  before.setEnd(container, offset);
  // A range's text is its text nodes' characters, the same characters textContent counts.
  return before.toString().length;
}

/** The range of the root's text a selection covers, or null when it is empty or outside. */
export function selectionOffsets(
  root: Node,
  selection: Selection | null,
): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const start = textOffset(root, range.startContainer, range.startOffset);
  const end = textOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

/** Takes every drawn highlight off, leaving the text as it was. */
export function clearHighlights(root: Element): void {
  for (const mark of [...root.querySelectorAll(`mark[${HIGHLIGHT_ATTRIBUTE}]`)]) {
    mark.replaceWith(...mark.childNodes);
  }
  root.normalize();
}

/** Draws highlights over the root's text: each range becomes one or more <mark> elements. */
export function drawHighlights(
  root: Element,
  ranges: ReadonlyArray<{ id: string; start: number; end: number }>,
): void {
  clearHighlights(root);
  const doc = root.ownerDocument;
  for (const { id, start, end } of ranges) {
    let at = 0;
    for (const node of textNodes(root)) {
      const from = at;
      const to = at + node.data.length;
      at = to;
      if (to <= start || from >= end || node.data.length === 0) continue;
      // Text inside an element that cannot hold a <mark> sensibly is left as it is.
      if (node.parentElement?.closest('title, style, script')) continue;
      let piece = node;
      if (start > from) piece = piece.splitText(start - from);
      if (end < to) piece.splitText(end - Math.max(start, from));
      const mark = doc.createElement('mark');
      mark.setAttribute(HIGHLIGHT_ATTRIBUTE, id);
      mark.className = 'curio-highlight';
      piece.replaceWith(mark);
      mark.append(piece);
    }
  }
}
