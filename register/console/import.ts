/**
 * An import of the region's files from the console: the files arrive in the request (base64 in
 * JSON), are written to a folder of their own that only this import uses, and go through the same
 * import as `npm run register -- import` (`register/import/`): a preview changes nothing, an apply
 * writes it all in one transaction. The answer names the files as the administrator chose them,
 * never the folder they passed through.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { RegisterError } from '../context';
import { importFiles } from '../import/apply';
import type { Rejection } from '../import/plan';
import type { Encoding } from '../import/read';
import type { Register } from '../register';

/** The most rejected rows the answer lists (all are counted; the command line's report has every one). */
const LISTED = 500;

export interface ImportAnswer {
  applied: boolean;
  rows: number;
  created: Record<'article' | 'individual' | 'order', number>;
  updated: Record<'article' | 'individual' | 'order', number>;
  unchanged: Record<'article' | 'individual' | 'order', number>;
  rejectedCount: number;
  rejected: Rejection[];
}

export async function importUploaded(register: Register, input: { apply: boolean; encoding?: Encoding; files: { name: string; content: string }[] }): Promise<ImportAnswer> {
  const dir = mkdtempSync(join(tmpdir(), 'depot-import-'));
  // Each file under a name of the import's own (its extension kept), so a name can never reach outside the folder.
  const paths = input.files.map((f, i) => join(dir, `${i + 1}${extname(f.name).toLowerCase()}`));
  const named = (text: string) => paths.reduce((t, p, i) => t.split(p).join(input.files[i]!.name), text);
  try {
    input.files.forEach((f, i) => writeFileSync(paths[i]!, Buffer.from(f.content, 'base64'), { mode: 0o600 }));
    const r = await importFiles(register, paths, { apply: input.apply, encoding: input.encoding, report: join(dir, 'avvisade.csv') });
    return {
      applied: r.applied,
      rows: r.rows,
      created: r.created,
      updated: r.updated,
      unchanged: r.unchanged,
      rejectedCount: r.rejected.length,
      rejected: r.rejected.slice(0, LISTED).map((x) => ({ ...x, file: named(x.file) })),
    };
  } catch (e) {
    if (e instanceof RegisterError) throw new RegisterError(e.code, { sv: named(e.userMessage.sv), en: named(e.userMessage.en) }, e.status);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
