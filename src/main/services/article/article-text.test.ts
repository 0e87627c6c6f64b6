import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { articleText, countWords, readingMinutes } from './article-text';
import { imageUrlOf } from './read-page';

const { document } = new JSDOM('<!doctype html><body>').window;
const element = (html: string) => {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
};

describe('articleText', () => {
  it('separates blocks with a blank line, collapses spaces and keeps <pre> as written', () => {
    const text = articleText(
      element(
        '<h2>Title</h2>\n<p>One   <em>two</em>\n three</p><ul><li>a</li><li>b<br>c</li></ul>' +
          '<pre><code>if x:\n    y()</code></pre><table><tr><td>k</td><td>v</td></tr></table>',
      ),
    );
    expect(text).toBe('Title\n\nOne two three\n\na\n\nb\nc\n\nif x:\n    y()\n\nk\tv');
  });
});

describe('countWords', () => {
  it('counts words as Unicode segments them, in spaced and unspaced scripts', () => {
    expect(countWords('Raft elects a leader; the leader replicates.')).toBe(7);
    expect(countWords("Lamport's clocks, 2 kinds")).toBe(4);
    expect(countWords('分散システムの合意', 'ja')).toBeGreaterThan(2);
    expect(countWords('  — … ')).toBe(0);
  });

  it('gives reading time at 238 words a minute, at least a minute for any text', () => {
    expect([0, 1, 238, 5000].map(readingMinutes)).toEqual([0, 1, 1, 21]);
  });
});

describe('imageUrlOf', () => {
  const img = (attrs: string) => element(`<img ${attrs}>`).firstElementChild!;
  const base = 'https://blog.example.org/posts/raft';

  it('takes the smallest srcset candidate that fills the column, else the largest', () => {
    expect(imageUrlOf(img('src="a.png" srcset="s.png 400w, m.png 1600w, l.png 3200w"'), base)).toBe(
      'https://blog.example.org/posts/m.png',
    );
    expect(imageUrlOf(img('srcset="s.png 1x, l.png 2x"'), base)).toBe(
      'https://blog.example.org/posts/l.png',
    );
    expect(imageUrlOf(img('src="/only.png" srcset="/small.png 300w"'), base)).toBe(
      'https://blog.example.org/small.png',
    );
    expect(imageUrlOf(img('src="data:image/png;base64,AAAA"'), base)).toBeNull();
    expect(imageUrlOf(img('alt="no source"'), base)).toBeNull();
  });

  it('never answers with anything but an http(s) URL, whatever the attributes say', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (src, srcset) => {
        const image = document.createElement('img');
        image.setAttribute('src', src);
        image.setAttribute('srcset', srcset);
        const url = imageUrlOf(image, base);
        expect(url === null || /^https?:\/\//.test(url)).toBe(true);
      }),
    );
  });
});
