#!/usr/bin/env node
/**
 * `npm start`: builds what is out of date, then launches the Electron app. Where the Electron
 * binary is not available (it is fetched on first launch), says so in one line and starts
 * browser mode instead. `npm run start:web` (`--web`) goes straight to browser mode.
 * Any other arguments (e.g. `--data-dir <path>`) are passed on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, copyFileSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const passOn = args.filter((a) => a !== '--web');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function buildIfStale() {
  const stamp = join(root, 'out', '.built');
  const sources = Math.max(...['electron', 'renderer', 'vocabulary', 'db', 'drivers', 'documents', 'services', 'api', 'hosts'].map((d) => newest(join(root, d))));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  console.log('Building Depot Station…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
}

/** The Electron binary's path, fetching it on first use (bounded in time); null where it cannot be had. */
function electronBinary() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const path = r.status === 0 ? (r.stdout.trim().split('\n').at(-1) ?? '') : '';
  return path && existsSync(path) ? path : null;
}

/**
 * better-sqlite3 (the multiple-ciphers build, see package.json) as npm built it runs in Node;
 * Electron has its own ABI. Build a copy for Electron once (into out/native) and leave the Node
 * one alone, so tests and browser mode keep working.
 */
function nativeForElectron() {
  const target = join(root, 'out', 'native', 'sqlite_multiple_ciphers.node');
  if (existsSync(target)) return true;
  const version = require('electron/package.json').version;
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(root, 'out', 'native-build');
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`) });
  const gyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  console.log(`Building the SQLite module for Electron ${version}…`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], {
    cwd: work,
    stdio: 'inherit',
  });
  if (r.status !== 0) return false;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(work, { recursive: true, force: true });
  return true;
}

function startBrowserMode() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'hosts', 'web-main.ts'), ...passOn], { cwd: root, stdio: 'inherit' });
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
  child.on('exit', (code) => process.exit(code ?? 0));
}

buildIfStale();
if (webOnly) startBrowserMode();
else {
  const electron = electronBinary();
  if (!electron) {
    console.log('Electron is not available on this machine (its binary could not be fetched), so Depot Station starts in browser mode.');
    startBrowserMode();
  } else if (!nativeForElectron()) {
    console.log('The SQLite module could not be built for Electron here, so Depot Station starts in browser mode.');
    startBrowserMode();
  } else {
    const child = spawn(electron, [root, ...passOn], { cwd: root, stdio: 'inherit' });
    for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
