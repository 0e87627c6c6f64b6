import { describe, expect, it } from 'vitest';
import { createImportHandler, type ImportReply } from './worker-protocol';

const csv = (n: number) =>
  new TextEncoder().encode(
    'title,url,time_added,tags,status\n' +
      Array.from({ length: n }, (_, i) => `L${i},https://e.example/${i},1,,unread`).join('\n'),
  );

describe('the import worker protocol', () => {
  it('answers progress, then the result', async () => {
    const replies: ImportReply[] = [];
    const handle = createImportHandler((r) => replies.push(r));
    await handle({ type: 'parse', id: 1, file: { bytes: csv(5_000), name: 'pocket.csv' } });
    const last = replies.at(-1)!;
    expect(last.type === 'done' && last.result.items.length).toBe(5_000);
    expect(replies.filter((r) => r.type === 'progress').length).toBeGreaterThan(0);
    await handle({ type: 'parse-text', id: 2, text: 'see https://a.example/' });
    expect(replies.at(-1)).toMatchObject({ type: 'done', id: 2, result: { format: 'text' } });
  });

  it('stops a parse when the window cancels it', async () => {
    const replies: ImportReply[] = [];
    const handle: ReturnType<typeof createImportHandler> = createImportHandler((r) => {
      replies.push(r);
      if (r.type === 'progress') void handle({ type: 'cancel', id: 7 });
    });
    await handle({ type: 'parse', id: 7, file: { bytes: csv(10_000), name: 'pocket.csv' } });
    expect(replies.at(-1)).toEqual({ type: 'cancelled', id: 7 });
    expect(replies.filter((r) => r.type === 'progress')).toHaveLength(1);
  });
});
