// Builds the renderer for web mode: the same app, served by src/web on loopback.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { workerBuilds } from './vite.worker.config';

export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  plugins: [react()],
  worker: { format: 'es', plugins: () => [workerBuilds()] },
  build: { outDir: resolve('out/web'), emptyOutDir: true, sourcemap: true },
});
