// Quick capture: what a curio://add link or web mode's /add route may carry, and the bookmarklet.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  QUICK_CAPTURE_LIMITS,
  bookmarklet,
  parseQuickCapture,
  quickCapturePage,
  quickCaptureQuery,
} from './quick-capture';

const params = (query: string) => new URLSearchParams(query);

describe('parseQuickCapture', () => {
  it('takes an http(s) link with its title and note', () => {
    expect(
      parseQuickCapture(
        params('url=https%3A%2F%2Fraft.github.io%2F&title=Raft&note=Leaders%20decide'),
      ),
    ).toEqual({
      ok: true,
      capture: { url: 'https://raft.github.io/', title: 'Raft', note: 'Leaders decide' },
    });
  });

  it('refuses anything but http(s), a missing url, repeated fields and overlong values', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      'curio://app/',
      'nonsense',
    ]) {
      const result = parseQuickCapture(params(`url=${encodeURIComponent(url)}`));
      expect(result).toEqual({ ok: false, error: expect.stringMatching(/only http and https/) });
    }
    expect(parseQuickCapture(params('title=x'))).toMatchObject({ ok: false, error: /no url/ });
    expect(
      parseQuickCapture(params('url=https://a.example/&url=https://b.example/')),
    ).toMatchObject({
      ok: false,
      error: /url twice/,
    });
    const long = 'x'.repeat(QUICK_CAPTURE_LIMITS.note + 1);
    expect(parseQuickCapture(params(`url=https://a.example/&note=${long}`))).toMatchObject({
      ok: false,
      error: /note sent to Curio is 10,001 characters long; at most 10,000/,
    });
  });

  it('never lets through a value it did not check, whatever the query', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('url', 'title', 'note', 'other'), fc.string())),
        (pairs) => {
          const result = parseQuickCapture(new URLSearchParams(pairs));
          if (!result.ok) return;
          expect(new URL(result.capture.url).protocol).toMatch(/^https?:$/);
          expect(result.capture.title.length).toBeLessThanOrEqual(QUICK_CAPTURE_LIMITS.title);
          expect(result.capture.note.length).toBeLessThanOrEqual(QUICK_CAPTURE_LIMITS.note);
          // What the desktop app hands its window parses back to the same capture.
          expect(parseQuickCapture(new URLSearchParams(quickCaptureQuery(result.capture)))).toEqual(
            result,
          );
        },
      ),
    );
  });
});

describe('quickCapturePage', () => {
  it('turns curio://add into the app page, and refuses anything else', () => {
    expect(
      quickCapturePage('curio://add?url=https%3A%2F%2Fraft.github.io%2F&evil=1', 'curio://app/'),
    ).toBe('curio://app/add?url=https%3A%2F%2Fraft.github.io%2F');
    expect(quickCapturePage('curio://app/add?url=https://a.example/', 'curio://app/')).toBeNull();
    expect(quickCapturePage('curio://add?url=javascript:alert(1)', 'curio://app/')).toBeNull();
    expect(quickCapturePage('https://add/?url=https://a.example/', 'curio://app/')).toBeNull();
    expect(quickCapturePage('not a url', 'curio://app/')).toBeNull();
  });
});

describe('bookmarklet', () => {
  it('sends the page and the selection to the target, encoded', () => {
    const code = bookmarklet('http://127.0.0.1:5000/add');
    expect(code.startsWith('javascript:')).toBe(true);
    expect(code).toContain(
      'open("http://127.0.0.1:5000/add?url="+encodeURIComponent(location.href)',
    );
    expect(bookmarklet('curio://add')).toContain('location.href=("curio://add?url="');
  });
});
