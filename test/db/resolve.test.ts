import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScan } from '../../vocabulary/codes/decode';
import { GS } from '../../vocabulary/codes/gs1';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import type { StationDb } from '../../db/open';
import { resolveScan } from '../../db/stock/resolve';
import { queries, tinyStore } from '../helpers';

let store: StationDb;
beforeAll(() => {
  store = tinyStore();
});
afterAll(() => store.close());

const resolve = (raw: string) => {
  const d = decodeScan(raw);
  if (!d.ok) throw new Error(d.error.code);
  return resolveScan(store, d.value.content, d.value.text);
};
const { one, maybe } = queries(() => store);

describe('resolving a scan', () => {
  it('finds an individual by its number, its serial number and its UDI', () => {
    const ind = one<{ id: string; n: string; s: string }>('select id, individual_number as n, serial_number as s from individuals limit 1');
    expect(resolve(ind.n)).toMatchObject({ kind: 'individual', id: ind.id });
    expect(resolve(ind.s)).toMatchObject({ kind: 'individual', id: ind.id });
    const udi = maybe<{ id: string; udi: string }>('select id, udi from individuals where udi is not null limit 1');
    expect(udi).toBeDefined();
    expect(resolve(udi!.udi)).toMatchObject({ kind: 'individual', id: udi!.id });
  });

  it('finds an article by GTIN, with lot and expiry from a GS1 code', () => {
    const g = one<{ gtin: string; article_id: string }>('select gtin, article_id from article_gtins limit 1');
    expect(resolve(g.gtin.slice(1))).toMatchObject({ kind: 'article', id: g.article_id });
    expect(resolve(`]C101${g.gtin}17270300` + `10L-77${GS}3012`)).toMatchObject({
      kind: 'article',
      id: g.article_id,
      details: { lot: 'L-77', expiry: '2027-03-31', quantity: 12 },
    });
  });

  it('finds locations, badges, pallets, orders and commands', () => {
    const loc = one<{ id: string; code: string }>("select id, code from locations where level = 'bin' limit 1");
    expect(resolve(loc.code.toLowerCase())).toMatchObject({ kind: 'location', id: loc.id });
    expect(resolve('U1001')).toMatchObject({ kind: 'user', name: 'Lena Nilsson', role: 'warehouse_worker' });
    const sscc = '37350000123456789' + gs1CheckDigit('37350000123456789');
    expect(resolve(`]C100${sscc}`)).toMatchObject({ kind: 'pallet', sscc });
    expect(resolve(sscc)).toMatchObject({ kind: 'pallet', sscc });
    expect(resolve('KO-0000001')).toEqual({ kind: 'order', ref: 'KO-0000001' });
    expect(resolve('CMD-DONE')).toEqual({ kind: 'command', command: 'done' });
  });

  it('says plainly what it does not know', () => {
    expect(resolve('I9999999')).toMatchObject({ kind: 'unknown', message: { sv: expect.stringContaining('finns inte') } });
    expect(resolve('BOD-Z-99')).toMatchObject({ kind: 'unknown', message: { en: expect.stringContaining('does not exist') } });
    expect(resolve('NOTHING-LIKE-IT')).toMatchObject({ kind: 'unknown', message: { en: expect.stringContaining('Unknown barcode') } });
    expect(resolve('U9999')).toMatchObject({ kind: 'unknown' });
  });
});
