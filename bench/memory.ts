/**
 * The station's memory on the large dataset: bench/station-memory.ts runs the station in a process
 * of its own, as browser mode runs it (Node with tsx), on a copy of the dataset, through a day's mix
 * of calls. Recorded: its peak resident set (target ≤ 300 MiB), the peak of the same process with
 * only Node, tsx and the station's code loaded (the baseline the station's data adds to), and what
 * holds it: each phase's growth, the JavaScript heap, and SQLite's page cache limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyStation } from '../db/open';

type Record = (name: string, value: number, unit: string, target?: string) => void;

interface Report {
  phases: { phase: string; peakRssMiB: number }[];
  peakRssMiB: number;
  atEnd: { rssMiB: number; heapUsedMiB: number; heapTotalMiB: number; externalMiB: number };
  sqliteCacheLimitMiB: number;
}

export function memoryBench(largeDir: string, record: Record): void {
  const dir = join(largeDir, '..', 'memory-copy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyStation(largeDir, dir);
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'station-memory.ts'), dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`the station's memory could not be measured: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Report;
    const loaded = r.phases[0]!.peakRssMiB;
    record('peak RSS of the station on the large dataset (its own process, a day of calls)', r.peakRssMiB, 'MiB', '≤ 300 MiB');
    record('baseline: peak RSS with Node, tsx and the station code loaded, no database', loaded, 'MiB');
    let before = loaded;
    for (const p of r.phases.slice(1)) {
      if (p.peakRssMiB - before >= 1) record(`  of which: ${p.phase}`, p.peakRssMiB - before, 'MiB');
      before = p.peakRssMiB;
    }
    record('  JavaScript heap in use at the end', r.atEnd.heapUsedMiB, 'MiB');
    record('  SQLite page cache limit (the writer connection)', r.sqliteCacheLimitMiB, 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
