/**
 * `npm run demo:large -- --dir <path>`: generates the large dataset the benchmarks run on
 * (20,000 articles, 300,000 individuals, 3,000,000 movements, 5,000 locations, 20 sites).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE_NAME, openStationDb } from '../open';
import { isStationSetUp } from '../station';
import { LARGE_SIZE, seedDataset } from './generate';

export function ensureLargeDataset(dir: string, log: (line: string) => void = console.log): { generated: boolean; seconds: number } {
  const t0 = performance.now();
  const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  try {
    if (isStationSetUp(store)) return { generated: false, seconds: 0 };
    let lastPhase = '';
    let lastAt = 0;
    seedDataset(store, LARGE_SIZE, (p) => {
      const now = performance.now();
      if (p.phase !== lastPhase || now - lastAt > 5000 || p.done === p.total) {
        log(`  ${p.phase}: ${p.done.toLocaleString('sv-SE')} / ${p.total.toLocaleString('sv-SE')} (${((now - t0) / 1000).toFixed(0)} s)`);
        lastPhase = p.phase;
        lastAt = now;
      }
    });
    return { generated: true, seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--dir');
  const dir = i > 0 ? process.argv[i + 1] : undefined;
  if (!dir) {
    console.error('Usage: npm run demo:large -- --dir <path>');
    process.exit(2);
  }
  if (existsSync(join(dir, DB_FILE_NAME))) console.log(`Using ${join(dir, DB_FILE_NAME)}`);
  const r = ensureLargeDataset(dir);
  console.log(r.generated ? `Generated the large dataset in ${r.seconds.toFixed(1)} s in ${dir}` : `${dir} already holds a dataset; left as it is.`);
}
