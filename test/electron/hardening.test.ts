/** The packaged app's hardening as configured: fuses in electron-builder.yml and the window's web preferences. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The `electronFuses:` block of electron-builder.yml as key → value (flat `key: value` lines). */
function fuses(): Record<string, string> {
  const lines = readFileSync(join(root, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === 'electronFuses:');
  expect(start).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const l of lines.slice(start + 1)) {
    const m = /^\s{2}(\w+):\s*(\S+)\s*$/.exec(l);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

describe('Electron hardening', () => {
  it('flips the fuses: no running as Node, no NODE_OPTIONS, no inspector, the app only from its checked asar', () => {
    expect(fuses()).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
  });

  it('opens its window isolated and sandboxed, without Node, and refuses navigation, new windows and permissions', () => {
    const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
    for (const setting of ['contextIsolation: true', 'nodeIntegration: false', 'sandbox: true']) expect(main).toContain(setting);
    for (const guard of ["on('will-navigate'", 'setWindowOpenHandler', 'setPermissionRequestHandler']) expect(main).toContain(guard);
  });
});
