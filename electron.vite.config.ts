import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { workerBuilds } from './vite.worker.config';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/electron/main.ts'),
          // Article extraction runs on a worker thread; page-reader.ts starts it from out/main.
          'article-worker': resolve('src/main/services/article/extraction-worker.ts'),
          // Backups are compacted on a worker thread; backup-store.ts starts it from out/main.
          'backup-worker': resolve('src/main/services/backups/backup-worker.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload can require only 'electron', so anything else it imports is bundled in.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    worker: { format: 'es', plugins: () => [workerBuilds()] },
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
