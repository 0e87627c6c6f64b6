// Netscape bookmark files, as browsers (Chrome, Edge, Firefox, Safari) and bookmark services
// (Pinboard, Raindrop, Karakeep, Linkwarden) write them, and Pocket's HTML export, which uses
// <h1>Unread</h1>/<h1>Read Archive</h1> sections instead of folders. The text goes through
// parse5's streaming HTML tokenizer (the one browsers' parsers are specified by) in chunks, and a
// small state machine follows <DL> nesting with an explicit stack, so a file nested a million
// folders deep costs memory, not the call stack.
import { Tokenizer, TokenizerMode, type Token, type TokenHandler } from 'parse5';
import { DraftCollector, type RawEntry } from './collect';
import type { ImportRun } from './result';

const CHUNK = 1 << 20;
/** Folder names deeper than this still hold links; only the outer levels become tags. */
const MAX_FOLDER_TAGS = 20;

/**
 * Top-level folders that browsers create themselves: they say where a bookmark sat in the
 * browser's menus, not what it is about, so they do not become tags.
 */
const BROWSER_ROOTS = new Set([
  'bookmarks bar',
  'bookmarks toolbar',
  'bookmarksbar',
  'favorites bar',
  'favourites bar',
  'favorites',
  'favourites',
  'other bookmarks',
  'other favorites',
  'other favourites',
  'mobile bookmarks',
  'bookmarks menu',
  'bookmarksmenu',
  'reading list',
]);

interface Frame {
  tags: readonly string[];
  /** Safari's Reading List keeps the page's preview text in <DD>, not a note. */
  ddIsDescription: boolean;
}

interface OpenLink {
  attrs: Map<string, string>;
  title: string;
  dd: string | null;
  line: number;
  frame: Frame;
  read: boolean | null;
}

type Collecting = 'folder' | 'link' | 'dd' | 'section' | null;

class BookmarkHandler implements TokenHandler {
  readonly stack: Frame[] = [{ tags: [], ddIsDescription: false }];
  private folder: { name: string; root: boolean; readingList: boolean } | null = null;
  private link: OpenLink | null = null;
  private collecting: Collecting = null;
  private section = '';
  /** Pocket's HTML export: read state from the <h1> above the list. */
  private sectionRead: boolean | null = null;
  tokenizer!: Tokenizer;

  constructor(private readonly out: DraftCollector) {}

  onStartTag(token: Token.TagToken): void {
    switch (token.tagName) {
      case 'dt':
      case 'hr':
      case 'li':
      case 'ul':
        this.flush();
        break;
      case 'h3':
        this.flush();
        this.folder = {
          name: '',
          root: token.attrs.some(
            (a) =>
              (a.name === 'personal_toolbar_folder' || a.name === 'unfiled_bookmarks_folder') &&
              a.value.toLowerCase() === 'true',
          ),
          readingList: token.attrs.some(
            (a) => a.name === 'id' && a.value === 'com.apple.ReadingList',
          ),
        };
        this.collecting = 'folder';
        break;
      case 'h1':
        this.flush();
        this.section = '';
        this.collecting = 'section';
        break;
      case 'dl':
        this.flush();
        this.openFolder();
        break;
      case 'a':
        this.flush();
        this.link = {
          attrs: new Map(token.attrs.map((a) => [a.name, a.value])),
          title: '',
          dd: null,
          // The preprocessor counts lines anyway; per-token locations would double the cost.
          line: this.tokenizer.preprocessor.line,
          frame: this.stack[this.stack.length - 1]!,
          read: this.sectionRead,
        };
        this.collecting = 'link';
        break;
      case 'dd':
        if (this.link) {
          this.link.dd = '';
          this.collecting = 'dd';
        }
        break;
      case 'title':
      case 'textarea':
        this.tokenizer.state = TokenizerMode.RCDATA;
        break;
      case 'script':
      case 'style':
        this.tokenizer.state = TokenizerMode.RAWTEXT;
        break;
    }
  }

  onEndTag(token: Token.TagToken): void {
    switch (token.tagName) {
      case 'a':
        if (this.collecting === 'link') this.collecting = null;
        break;
      case 'h3':
        if (this.collecting === 'folder') this.collecting = null;
        break;
      case 'h1':
        if (this.collecting === 'section') {
          this.collecting = null;
          const name = this.section.trim().toLowerCase();
          this.sectionRead = name.startsWith('read') ? true : name === 'unread' ? false : null;
        }
        break;
      case 'dl':
        this.flush();
        if (this.stack.length > 1) this.stack.pop();
        break;
    }
  }

  onCharacter(token: Token.CharacterToken): void {
    this.text(token.chars);
  }
  onWhitespaceCharacter(token: Token.CharacterToken): void {
    this.text(token.chars);
  }
  onNullCharacter(): void {}
  onComment(): void {}
  onDoctype(): void {}
  onEof(): void {
    this.flush();
  }

  private text(chars: string): void {
    if (this.collecting === 'link' && this.link) this.link.title += chars;
    else if (this.collecting === 'dd' && this.link) this.link.dd += chars;
    else if (this.collecting === 'folder' && this.folder) this.folder.name += chars;
    else if (this.collecting === 'section') this.section += chars;
  }

  private openFolder(): void {
    const parent = this.stack[this.stack.length - 1]!;
    const folder = this.folder;
    this.folder = null;
    if (this.collecting === 'folder') this.collecting = null;
    const name = folder?.name.replace(/\s+/g, ' ').trim() ?? '';
    const isBrowserRoot =
      folder !== null &&
      (folder.root ||
        folder.readingList ||
        (this.stack.length <= 2 && BROWSER_ROOTS.has(name.toLowerCase())));
    const tags =
      !name || isBrowserRoot || parent.tags.length >= MAX_FOLDER_TAGS
        ? parent.tags
        : [...parent.tags, name];
    this.stack.push({
      tags,
      ddIsDescription: parent.ddIsDescription || (folder?.readingList ?? false),
    });
  }

  /** Ends the open link (its <DD> runs until the next structural tag). */
  private flush(): void {
    const link = this.link;
    if (this.collecting === 'link' || this.collecting === 'dd') this.collecting = null;
    if (!link) return;
    this.link = null;
    const a = link.attrs;
    const dd = link.dd?.trim() ?? '';
    const toRead = a.get('toread');
    const entry: RawEntry = {
      url: a.get('href'),
      title: link.title,
      tags: [...link.frame.tags, ...(a.get('tags') ?? '').split(',')],
      addedAt: a.get('add_date') ?? a.get('time_added') ?? a.get('last_modified'),
      note: link.frame.ddIsDescription ? '' : dd,
      description: link.frame.ddIsDescription ? dd : a.get('description'),
      image: a.get('data-cover'),
      read: toRead === '0' ? true : toRead === '1' ? false : (link.read ?? false),
    };
    this.out.add(`line ${link.line}`, entry);
  }
}

/** Reads a Netscape bookmark file or Pocket HTML export. */
export async function parseNetscape(text: string, run: ImportRun): Promise<DraftCollector> {
  const out = new DraftCollector();
  const handler = new BookmarkHandler(out);
  const tokenizer = new Tokenizer({}, handler);
  handler.tokenizer = tokenizer;
  for (let at = 0; at < text.length || at === 0; at += CHUNK) {
    const end = Math.min(text.length, at + CHUNK);
    tokenizer.write(text.slice(at, end), end >= text.length);
    await run.checkpoint(end, text.length);
    if (end >= text.length) break;
  }
  return out;
}
