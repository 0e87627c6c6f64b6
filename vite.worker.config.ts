// What the renderer's workers are built with, in Electron and web mode alike. Vite resolves
// packages for the browser, and some browser builds need a document a worker does not have:
// `decode-named-character-reference` (read by the Markdown importer) decodes entities through a
// DOM element there, so workers take its plain build, the one its `worker` condition names.
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const WORKER_BUILDS: Record<string, string> = {
  'decode-named-character-reference': resolve(
    'node_modules/decode-named-character-reference/index.js',
  ),
};

export function workerBuilds(): Plugin {
  return {
    name: 'curio:worker-builds',
    enforce: 'pre',
    resolveId: (source) => WORKER_BUILDS[source] ?? null,
  };
}
