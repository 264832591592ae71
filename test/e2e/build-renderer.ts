import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // The register's console is a page of its own (test/e2e/build-console.ts builds it).
    if (p === join(root, 'renderer', 'console')) continue;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** End-to-end tests drive the built renderer: build it when it is missing or older than its sources. */
export default function setup(): void {
  const index = join(root, 'out', 'renderer', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'renderer'))) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}
