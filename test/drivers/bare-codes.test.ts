import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelZpl } from '../../hosts/cli';
import type { StationDb } from '../../db/open';
import { resolveScan } from '../../db/stock/resolve';
import { decodeScan } from '../../vocabulary/codes/decode';
import { isValidSscc, makeSscc } from '../../vocabulary/codes/sscc';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { queries, tinyStore } from '../helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sscc = makeSscc(3, '7350000', 123456789);
const wrong = sscc.slice(0, 17) + ((Number(sscc[17]) + 1) % 10);
const content = (raw: string) => {
  const d = decodeScan(raw);
  return d.ok ? d.value.content : d.error.code;
};

describe('codes from a scanner that sends no symbology identifier', () => {
  it('reads AI 00 and 18 digits with a right check digit as an SSCC, and nothing else of that length', () => {
    expect(isValidSscc(sscc)).toBe(true);
    expect(isValidSscc(wrong)).toBe(false);
    expect(content(`00${sscc}`)).toEqual({ kind: 'sscc', sscc });
    expect(content(`]C100${sscc}`)).toMatchObject({ kind: 'gs1', ai: { '00': sscc } });
    expect(content(sscc)).toEqual({ kind: 'sscc', sscc });
    // A wrong check digit, or 20 digits that do not start with 00, are not a pallet.
    expect(content(`00${wrong}`)).toEqual({ kind: 'text', text: `00${wrong}` });
    expect(content(`01${sscc}`)).toEqual({ kind: 'text', text: `01${sscc}` });
  });

  it('reads a bare GTIN-8, -12, -13 and -14 with a right check digit as a GTIN', () => {
    for (const body of ['9638507', '03600029145', '735000012345', '1735000012345']) {
      const gtin = body + gs1CheckDigit(body);
      expect(content(gtin)).toEqual({ kind: 'gtin', gtin: gtin.padStart(14, '0') });
      const bad = body + ((gs1CheckDigit(body) + 1) % 10);
      expect(content(bad)).toEqual({ kind: 'text', text: bad });
    }
  });
});

describe('resolving bare codes', () => {
  let store: StationDb;
  beforeAll(() => {
    store = tinyStore();
  });
  afterAll(() => store.close());
  const { one } = queries(() => store);
  const resolve = (raw: string) => {
    const d = decodeScan(raw);
    if (!d.ok) throw new Error(d.error.code);
    return resolveScan(store, d.value.content, d.value.text);
  };

  it('names a pallet by a bare SSCC, and an article by its bare GTIN', () => {
    expect(resolve(`00${sscc}`)).toEqual({ kind: 'pallet', sscc });
    const g = one<{ gtin: string; article_id: string }>('select gtin, article_id from article_gtins limit 1');
    expect(resolve(g.gtin)).toMatchObject({ kind: 'article', id: g.article_id });
    expect(resolve(g.gtin.replace(/^0+/, '').padStart(13, '0'))).toMatchObject({ kind: 'article', id: g.article_id });
  });

  it('still finds a device whose serial number happens to read as a GTIN or an SSCC', () => {
    const ind = one<{ id: string }>('select id from individuals limit 1');
    const gtinLike = '735000012345' + gs1CheckDigit('735000012345');
    store.sqlite.prepare('update individuals set serial_number = ? where id = ?').run(gtinLike, ind.id);
    expect(resolve(gtinLike)).toMatchObject({ kind: 'individual', id: ind.id });
    store.sqlite.prepare('update individuals set serial_number = ? where id = ?').run(`00${sscc}`, ind.id);
    expect(resolve(`00${sscc}`)).toMatchObject({ kind: 'individual', id: ind.id });
    // Individual numbers, article numbers and other serials resolve as before.
    const other = one<{ id: string; n: string; s: string }>('select id, individual_number as n, serial_number as s from individuals where id <> ? limit 1', ind.id);
    expect(resolve(other.n)).toMatchObject({ kind: 'individual', id: other.id });
    expect(resolve(other.s)).toMatchObject({ kind: 'individual', id: other.id });
  });
});

describe('npm run cli -- label pallet', () => {
  it('prints a label for a right SSCC, with or without AI 00', () => {
    expect(labelZpl('pallet', sscc, [])).toContain(`00${sscc}`);
    expect(labelZpl('pallet', `00${sscc}`, [])).toContain(`00${sscc}`);
  });

  it('refuses an SSCC whose check digit is wrong, in Swedish and English, and exits non-zero', () => {
    expect(() => labelZpl('pallet', wrong, [])).toThrowError(expect.objectContaining({ code: 'labels.bad_sscc' }));
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['hosts/cli.ts', 'label', 'pallet', wrong], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ingen giltig SSCC');
    expect(r.stderr).toContain('not a valid SSCC');
  });
});
