// The layer and cycle rules of eslint.config.js, each made to fire: probe sources are linted with
// the project's own config at the paths the rules are about, in a throwaway tree laid out like
// this repository, so a rule that silently stops matching fails here rather than in review.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('../eslint.config.js', import.meta.url));

let root: string;
let eslint: ESLint;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'curio-lint-probe-'));
  eslint = new ESLint({ cwd: root, overrideConfigFile: CONFIG });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, source: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), source);
}

/** The rules that fire on `source` placed at `path`. */
async function rulesFiredAt(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

const LAYERS = 'no-restricted-imports';
const PRELOAD_BUNDLE = '@typescript-eslint/no-restricted-imports';

describe('layer rules', () => {
  it.each([
    // src/shared is pure.
    ['src/shared/model/probe.ts', "import { readFile } from 'node:fs/promises';"],
    ['src/shared/model/probe.ts', "import { readFile } from 'fs';"],
    ['src/shared/model/probe.ts', "import { app } from 'electron';"],
    ['src/shared/model/probe.ts', "import Dexie from 'dexie';"],
    ['src/shared/model/probe.ts', "import { useState } from 'react';"],
    ['src/shared/model/probe.ts', "import { unfurl } from '../../main/services/unfurl';"],
    ['src/shared/model/probe.ts', "import { RowStore } from '../../renderer/data/rows';"],
    ['src/shared/model/probe.ts', "import { startHub } from '../../hub/hub';"],
    // The renderer never reaches into Node or the main process.
    ['src/renderer/data/probe.ts', "import { createHash } from 'node:crypto';"],
    ['src/renderer/data/probe.ts', "import { join } from 'path';"],
    ['src/renderer/data/probe.ts', "import { ipcRenderer } from 'electron';"],
    ['src/renderer/data/probe.ts', "import { unfurl } from '../../main/services/unfurl';"],
    ['src/renderer/data/probe.ts', "import { startHub } from '../../hub/hub';"],
    ['src/renderer/data/probe.ts', "import { startWebServer } from '../../web/server';"],
    ['src/renderer/data/probe.ts', "import { WebSocketServer } from 'ws';"],
    ['src/renderer/data/probe.ts', "import { JSDOM } from 'jsdom';"],
    // Only src/main/electron imports Electron; services and web mode stay plain Node.
    ['src/main/services/probe.ts', "import { shell } from 'electron';"],
    ['src/main/services/probe.ts', "import { registerDesktopIpc } from '../electron/ipc';"],
    ['src/main/services/probe.ts', "import { RowStore } from '../../renderer/data/rows';"],
    ['src/web/probe.ts', "import { app } from 'electron';"],
    ['src/web/probe.ts', "import { RowStore } from '../renderer/data/rows';"],
    // The Electron shell never imports the renderer.
    ['src/main/electron/probe.ts', "import { RowStore } from '../../renderer/data/rows';"],
    ['src/main/electron/probe.ts', "import { App } from '../../renderer/App';"],
    ['src/main/electron/probe.ts', "import { startHub } from '../../hub/hub';"],
    // The hub never imports src/main.
    ['src/hub/probe.ts', "import { unfurl } from '../main/services/unfurl';"],
    ['src/hub/probe.ts', "import { SafeStorageVault } from '../main/electron/vault';"],
    ['src/hub/probe.ts', "import { app } from 'electron';"],
    ['src/hub/probe.ts', "import { RowStore } from '../renderer/data/rows';"],
    // The preload only bridges DesktopApi.
    ['src/preload/probe.ts', "import { RowStore } from '../renderer/data/rows';"],
    ['src/preload/probe.ts', "import { registerDesktopIpc } from '../main/electron/ipc';"],
  ])('%s may not %s', async (path, source) => {
    expect(await rulesFiredAt(path, source)).toContain(LAYERS);
  });

  it.each([
    ['src/shared/search/probe.ts', "import { urlKey } from '../model/url';"],
    ['src/renderer/data/probe.ts', "import { urlKey } from '../../shared/model/url';"],
    ['src/main/electron/probe.ts', "import { unfurl } from '../services/unfurl';"],
    ['src/main/electron/probe.ts', "import { app } from 'electron';"],
    ['src/hub/probe.ts', "import { urlKey } from '../shared/model/url';"],
    ['src/web/probe.ts', "import { unfurl } from '../main/services/unfurl';"],
    ['src/preload/probe.ts', "import { DESKTOP_METHODS } from '../shared/desktop-bridge';"],
    ['src/preload/probe.ts', "import type { DesktopApi } from '../shared/api';"],
  ])('%s may %s', async (path, source) => {
    const fired = await rulesFiredAt(path, `${source}\nexport const probe = 1;\n`);
    expect(fired).not.toContain(LAYERS);
    expect(fired).not.toContain(PRELOAD_BUNDLE);
  });

  it.each([
    "import { desktopApiArgs } from '../shared/api';",
    "import { PickedLinkSchema } from '../shared/publish/api';",
    "import { z } from 'zod';",
  ])('the preload bundles nothing but the bridge: %s', async (source) => {
    expect(await rulesFiredAt('src/preload/index.ts', source)).toContain(PRELOAD_BUNDLE);
  });
});

describe('the import cycle rule', () => {
  it('fires on two modules that import each other', async () => {
    write(
      'src/shared/probe/first.ts',
      "import { second } from './second';\nexport const first = () => second;\n",
    );
    write(
      'src/shared/probe/second.ts',
      "import { first } from './first';\nexport const second = () => first;\n",
    );
    expect(
      await rulesFiredAt(
        'src/shared/probe/first.ts',
        "import { second } from './second';\nexport const first = () => second;\n",
      ),
    ).toContain('import-x/no-cycle');
  });

  it('fires on a longer circle, in TypeScript and TSX', async () => {
    write(
      'src/renderer/probe/Dialog.tsx',
      "import { Section } from './Section';\nexport const Dialog = () => <Section />;\n",
    );
    write(
      'src/renderer/probe/Section.tsx',
      "import { Field } from './field';\nexport const Section = () => <Field />;\n",
    );
    write(
      'src/renderer/probe/field.tsx',
      "import { Dialog } from './Dialog';\nexport const Field = () => <Dialog />;\n",
    );
    expect(
      await rulesFiredAt(
        'src/renderer/probe/Section.tsx',
        "import { Field } from './field';\nexport const Section = () => <Field />;\n",
      ),
    ).toContain('import-x/no-cycle');
  });

  it('leaves a circle of type-only imports alone, since it is gone once compiled', async () => {
    write(
      'src/shared/types/left.ts',
      "import type { Right } from './right';\nexport interface Left { right?: Right }\n",
    );
    write(
      'src/shared/types/right.ts',
      "import type { Left } from './left';\nexport interface Right { left?: Left }\n",
    );
    expect(
      await rulesFiredAt(
        'src/shared/types/left.ts',
        "import type { Right } from './right';\nexport interface Left { right?: Right }\n",
      ),
    ).not.toContain('import-x/no-cycle');
  });
});

describe('the size rules', () => {
  const lines = (n: number, line: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => line(i)).join('\n');

  it('fire on a function of 81 lines of code, and not on one of 80 with comments and blanks', async () => {
    const body = (n: number) => lines(n, (i) => `  total += ${i};`);
    const long = `export function probe(): number {\n  let total = 0;\n${body(77)}\n  return total;\n}\n`;
    expect(await rulesFiredAt('src/renderer/data/probe.ts', long)).toContain(
      'max-lines-per-function',
    );
    const padded = `export function probe(): number {\n  let total = 0;\n${body(76)}\n\n  // sum\n  return total;\n}\n`;
    expect(await rulesFiredAt('src/renderer/data/probe.ts', padded)).not.toContain(
      'max-lines-per-function',
    );
  });

  it('fire on a module of 401 lines of code, but not in a test', async () => {
    const source = lines(401, (i) => `export const probe${i} = ${i};`) + '\n';
    expect(await rulesFiredAt('src/hub/probe.ts', source)).toContain('max-lines');
    expect(await rulesFiredAt('src/hub/probe.test.ts', source)).not.toContain('max-lines');
  });
});
