// Starting a service's worker thread. In the Electron build the worker is bundled JavaScript beside
// the starting module (out/main). Under tsx and Vitest both are TypeScript source, and a worker
// does not inherit tsx's loader, so a small module registers it in the worker before importing the
// entry.
import { Worker } from 'node:worker_threads';

/**
 * `from` is the starting module's import.meta.url; `source` the entry beside it in the source
 * tree, `bundled` its name in the build (electron.vite.config.ts lists it).
 */
export function startServiceWorker(from: string, source: string, bundled: string): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(bundled, from));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(source, from).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
}
