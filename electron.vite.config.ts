import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Main and preload are CommonJS: a sandboxed preload must be, and main follows for __dirname.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The import's reading thread is its own entry: core/ingest/read-thread.ts starts it from
        // next to index.cjs.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'read-worker': resolve(__dirname, 'src/core/ingest/read-worker.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
