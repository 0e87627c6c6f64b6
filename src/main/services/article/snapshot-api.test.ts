import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../../e2e/fixtures/server';
import { dispatchDesktopCall } from '../../../shared/api';
import {
  ArticleSnapshotSchema,
  articleFailureKind,
  ARTICLE_FAILURES,
} from '../../../shared/article';
import { createNodeDesktopApi } from '../desktop-api';
import { PageReader } from './page-reader';

let site: FixtureServer;
const reader = new PageReader();
beforeAll(async () => {
  site = await startFixtureServer();
});
afterAll(async () => {
  await reader.close();
  await site.close();
});

const api = () =>
  createNodeDesktopApi({
    mode: 'web',
    version: 'test',
    articleOptions: {
      reader,
      network: {
        resolve: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })),
      },
    },
  });

const call = (args: unknown[]) => dispatchDesktopCall(api(), 'snapshotArticle', args);

describe('DesktopApi.snapshotArticle', () => {
  it('answers with a snapshot that survives JSON and the shared schema', async () => {
    const value = await call([site.at('/articles/long-post.html'), { fromOthers: false }]);
    const snapshot = ArticleSnapshotSchema.parse(JSON.parse(JSON.stringify(value)));
    expect(snapshot.images).toHaveLength(3);
    expect(Buffer.from(snapshot.images[0]!.base64, 'base64').subarray(8, 12).toString()).toBe(
      'WEBP',
    );
  });

  it('guards links from others unless the setting allows local addresses', async () => {
    const url = site.at('/articles/json-ld.html');
    await expect(call([url, { fromOthers: true }])).rejects.toMatchObject({
      name: 'ArticleLocalAddress',
    });
    const allowed = await call([url, { fromOthers: true, allowLocalNetwork: true }]);
    expect(ArticleSnapshotSchema.parse(allowed).byline).toBe('Jun Tanaka');
  });

  it('refuses calls without the options', async () => {
    await expect(call([site.at('/articles/json-ld.html')])).rejects.toMatchObject({
      name: 'InvalidArguments',
    });
    await expect(call([site.at('/articles/json-ld.html'), { fromOthers: 'yes' }])).rejects.toThrow(
      /options \(argument 2\)/,
    );
  });

  it('names its failures so the renderer can tell what to retry', async () => {
    const error = await call([site.at('/articles/missing.html'), { fromOthers: false }]).catch(
      (e: Error) => e,
    );
    const kind = articleFailureKind((error as Error).name);
    expect(kind).toBe('HttpStatus');
    expect(ARTICLE_FAILURES[kind!].retry).toBe(false);
    expect(articleFailureKind('ArticleTimeout')).toBe('Timeout');
    expect(articleFailureKind('FetchTimeout')).toBeNull();
    expect(articleFailureKind('Articleconstructor')).toBeNull();
  });
});
