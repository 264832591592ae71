/**
 * Import from the region's register at the size of the large dataset: 20,000 articles, 300,000
 * individuals and 5,000 order lines as CSV files in the documented layout, with the four kinds of
 * seeded error. Baseline from the same run: reading and parsing the same files, nothing checked.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFiles } from '../register/import/apply';
import { readTables } from '../register/import/read';
import { regionSample } from '../register/import/sample';
import type { Register } from '../register/register';

type Record = (name: string, value: number, unit: string, target?: string) => void;

export async function importBench(register: Register, work: string, record: Record): Promise<void> {
  mkdirSync(work, { recursive: true });
  const sites = (await register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
  const sample = regionSample({ articles: 20_000, individuals: 300_000, orders: 5_000, sites, errors: true, firstIndividual: 7_000_001 });
  const files = ['artiklar.csv', 'individer.csv', 'ordrar.csv'].map((f) => join(work, f));
  writeFileSync(files[0]!, sample.articles);
  writeFileSync(files[1]!, sample.individuals);
  writeFileSync(files[2]!, sample.orders);
  const t0 = performance.now();
  for (const f of files) await readTables(f);
  const readMs = performance.now() - t0;
  record('import: reading and parsing the files only (baseline)', readMs / 1000, 's');
  const t1 = performance.now();
  await importFiles(register, files, { apply: false, report: join(work, 'avvisade.csv') });
  record('import preview of 20,000 articles and 300,000 individuals (nothing written)', (performance.now() - t1) / 1000, 's');
  const t2 = performance.now();
  const applied = await importFiles(register, files, { apply: true, report: join(work, 'avvisade.csv') });
  const applyMs = performance.now() - t2;
  record('import of 20,000 articles and 300,000 individuals, applied', applyMs / 1000, 's', '≤ 60 s');
  record('import applied, ratio to reading the files', applyMs / readMs, '×');
  record('import: rows rejected of the seeded errors', applied.rejected.length, 'rows', `= ${sample.seeded.length}`);
  // Any other row rejected is a finding: say which and why.
  for (const r of applied.rejected.filter((x) => !sample.seeded.some((e) => e.row === x.row && e.column === x.column)))
    console.warn(`  also rejected: ${r.file} row ${r.row} (${r.column ?? ''}): ${r.en}`);
  const t3 = performance.now();
  await importFiles(register, files, { apply: true, report: join(work, 'avvisade.csv') });
  record('import of the same files again (changes nothing)', (performance.now() - t3) / 1000, 's');
  rmSync(work, { recursive: true, force: true });
}
