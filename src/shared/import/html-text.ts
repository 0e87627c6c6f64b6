// Plain text from an HTML fragment (feed summaries), with parse5's tokenizer so entities decode
// as browsers decode them; scripts and styles are dropped, block elements become line breaks.
import { Tokenizer, TokenizerMode, type Token, type TokenHandler } from 'parse5';

const BLOCKS = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'pre',
]);

class TextCollector implements TokenHandler {
  text = '';
  private skipping: string | null = null;
  tokenizer!: Tokenizer;
  onStartTag(token: Token.TagToken): void {
    if (token.tagName === 'script' || token.tagName === 'style') {
      this.skipping = token.tagName;
      this.tokenizer.state = TokenizerMode.RAWTEXT;
    } else if (BLOCKS.has(token.tagName)) this.text += '\n';
  }
  onEndTag(token: Token.TagToken): void {
    if (token.tagName === this.skipping) this.skipping = null;
    else if (BLOCKS.has(token.tagName)) this.text += '\n';
  }
  onCharacter(token: Token.CharacterToken): void {
    if (!this.skipping) this.text += token.chars;
  }
  onWhitespaceCharacter(token: Token.CharacterToken): void {
    if (!this.skipping) this.text += token.chars;
  }
  onNullCharacter(): void {}
  onComment(): void {}
  onDoctype(): void {}
  onEof(): void {}
}

export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  const collector = new TextCollector();
  const tokenizer = new Tokenizer({}, collector);
  collector.tokenizer = tokenizer;
  tokenizer.write(html, true);
  return collector.text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
