/**
 * A HIBC code names its article, as a GTIN does: scanned with a lot and expiry it gives the article
 * with them, with a serial number the device that has it; a code no article has, or a secondary
 * symbol alone, is refused saying what to scan.
 */
import { describe, expect, it } from 'vitest';
import { resolveCode } from '../../db/stock/resolve';
import { hibcCheckChar } from '../../vocabulary/codes/hibc';
import { tinyStore } from '../helpers';

const hibc = (s: string) => s + hibcCheckChar(s);

describe('HIBC codes', () => {
  it('resolve to their article, with lot and expiry, or to the device with the serial', () => {
    const store = tinyStore();
    const one = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
    const a = one<{ code: string; id: string; number: string }>('select h.code, a.id, a.article_number as number from article_hibc h join articles a on a.id = h.article_id order by h.code limit 1');
    expect(a.code).toBe(`E735${a.number}`);

    expect(resolveCode(store, hibc(`+${a.code}1`))).toMatchObject({ kind: 'article', id: a.id, details: {} });
    expect(resolveCode(store, hibc(`+${a.code}1/$$3261231LOT42`))).toMatchObject({ kind: 'article', id: a.id, details: { lot: 'LOT42', expiry: '2026-12-31' } });

    const device = one<{ id: string; articleId: string }>("select i.id, i.article_id as articleId from individuals i join article_hibc h on h.article_id = i.article_id where i.status <> 'scrapped' limit 1");
    store.sqlite.prepare("update individuals set serial_number = 'SN-HIBC-9' where id = ?").run(device.id);
    const code = one<{ code: string }>('select code from article_hibc where article_id = ?', device.articleId).code;
    expect(resolveCode(store, hibc(`+${code}1/$$+0227SN-HIBC-9`))).toMatchObject({ kind: 'individual', id: device.id });

    expect(resolveCode(store, hibc('+E999NOPE1'))).toMatchObject({ kind: 'unknown', message: { sv: 'HIBC-koden (E999 NOPE) är inte kopplad till någon artikel.' } });
    expect(resolveCode(store, hibc('+$$726L1A'))).toMatchObject({ kind: 'unknown', message: { sv: expect.stringContaining('Skanna artikelns HIBC-kod') } });
    store.close();
  });
});
