/**
 * @doyensec/electronegativity over the desktop app's sources: no high or medium finding, but the
 * ones reviewed and explained in the README (the preload script: bundled, sandboxed, and handing the
 * page only the typed call/subscribe bridge).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
/** Reviewed, and why, in the README's "Desktop app hardening". */
const REVIEWED = new Set(['PRELOAD_JS_CHECK']);

describe('electronegativity', () => {
  it('finds nothing high or medium in the desktop app but what is reviewed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'depot-electronegativity-'));
    try {
      const out = join(dir, 'findings.csv');
      execFileSync(join(root, 'node_modules', '.bin', 'electronegativity'), ['-i', join(root, 'electron'), '-r', '-v', 'false', '-e', '45.0.0', '-o', out], { stdio: 'ignore', timeout: 120_000 });
      // One finding per record: "CHECK_ID","SEVERITY",…; descriptions may span lines, so read the records by their start.
      const findings = [...readFileSync(out, 'utf8').matchAll(/^([A-Z_]+_CHECK),"(HIGH|MEDIUM|LOW|INFORMATIONAL)"/gm)].map((m) => ({ check: m[1]!, severity: m[2]! }));
      const serious = findings.filter((f) => (f.severity === 'HIGH' || f.severity === 'MEDIUM') && !REVIEWED.has(f.check));
      expect(serious).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
