import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function newest(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

/** The register's console as its end-to-end tests drive it: built when missing or older than its sources (and the station's styles it shares). */
export function buildConsole(): void {
  const index = join(root, 'out', 'console', 'index.html');
  const sources = Math.max(newest(join(root, 'renderer', 'console')), newest(join(root, 'renderer', 'src', 'styles.css')), newest(join(root, 'register', 'console', 'vite.config.ts')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // Built as for use (vitest sets NODE_ENV=test, which would bundle React's development build).
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'register/console/vite.config.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('the console build failed');
}
