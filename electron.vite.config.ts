import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './hosts/csp';

/** The built renderer carries its Content-Security-Policy in the page itself (dev keeps Vite's inline preamble working). */
const cspMeta = (): Plugin => ({
  name: 'depot-csp-meta',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
});

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The worker threads' modules are entries of their own, written beside index.js under their own names.
        input: { index: 'electron/main.ts', 'background-worker': 'db/background-worker.mjs', 'label-render-worker': 'documents/label-render-worker.mjs' },
        output: { entryFileNames: (chunk) => (chunk.name.endsWith('-worker') ? '[name].mjs' : '[name].js') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: 'electron/preload.ts' },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react(), cspMeta()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: 'renderer/index.html' },
      // Each screen is a chunk of its own (renderer/src/screens.tsx loads it when first opened), and
      // the charts' library comes only with the screens that draw charts. Minified, so that a modest
      // PC reads and parses less before the sign-in screen shows (electron-vite leaves it off).
      minify: true,
    },
  },
});
