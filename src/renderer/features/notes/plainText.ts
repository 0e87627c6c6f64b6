// A note's Markdown as plain prose, for one-line previews where `## ` and `**` would be noise.
export function markdownToPlain(markdown: string): string {
  return (
    markdown
      // A link: its text has no bracket and its address at most one level of parentheses, so a
      // note of a thousand `[` costs one pass, not a scan to the end of the note from each.
      .replace(/!?\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
      .replace(/^[ \t]{0,3}(?:#{1,6}|>|[-+*]|\d+[.)])[ \t]+/gm, '')
      .replace(/(\*\*|__|~~|`+)/g, '')
      .replace(/(^|[\s(])[*_](\S)/g, '$1$2')
      .replace(/(\S)[*_](?=[\s).,;:!?]|$)/gm, '$1')
  );
}
