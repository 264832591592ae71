/**
 * The register's console page (`renderer/console`; `npm run build` builds it after the station),
 * built to `out/console`, which the register serves at `/console/`. It shares the station's styles.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('../../renderer/console'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: here('../../out/console'),
    emptyOutDir: true,
    rollupOptions: { input: here('../../renderer/console/index.html') },
  },
});
