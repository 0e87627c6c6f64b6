import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { jsonNestingWithin, keepPresenceAs, presenceMember } from './presence';

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') {
    return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  }
  return 0;
}

it('measures the nesting of any JSON text without parsing it', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), (value, max) => {
      const text = JSON.stringify(value);
      expect(jsonNestingWithin(text, max)).toBe(depthOf(value) <= max);
    }),
  );
  // Brackets inside strings, and escaped quotes, do not count.
  expect(jsonNestingWithin(JSON.stringify({ a: '[[[{{{"\\' }), 1)).toBe(true);
  expect(jsonNestingWithin('['.repeat(20_000) + ']'.repeat(20_000), 16)).toBe(false);
});

it('names the member a presence state speaks for', () => {
  expect(presenceMember({ user: { id: 'Ana', name: 'Ana L.' }, itemId: null })).toBe('Ana');
  for (const state of [
    null,
    {},
    [],
    { user: 'Ana' },
    { user: { name: 'Ana' } },
    { user: { id: 4 } },
  ]) {
    expect(presenceMember(state)).toBeNull();
  }
});

it('keeps the local presence under the token’s member, whatever sets the user', () => {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { id: 'device-id', name: 'Ana' }, itemId: null });
  const stop = keepPresenceAs(awareness, 'Ana');
  expect(awareness.getLocalState()?.user).toEqual({ id: 'Ana', name: 'Ana' });
  awareness.setLocalStateField('user', { id: 'device-id', name: 'Ana Lima', color: '#2563eb' });
  expect(awareness.getLocalState()?.user).toEqual({
    id: 'Ana',
    name: 'Ana Lima',
    color: '#2563eb',
  });
  stop();
  awareness.setLocalStateField('user', { id: 'device-id', name: 'Ana' });
  expect(awareness.getLocalState()?.user).toEqual({ id: 'device-id', name: 'Ana' });
  awareness.destroy();
});
