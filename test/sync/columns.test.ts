/**
 * A full copy in columnar frames: what the register writes, the station reads back row for row;
 * a station and a register of different versions agree on a shape (columns when both know them,
 * JSON lines otherwise) and fill a station alike; and a frame that is malformed, too large, or
 * names what this station does not know is refused with a reason, changing nothing.
 */
import fc from 'fast-check';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyColumnSnapshot } from '../../db/sync/apply';
import { CopyDecoder, CopyEncoder, CopyRefused, MAX_FRAME_BYTES, readHeaderFrame, SNAPSHOT_COLUMNS_CONTENT_TYPE, type ColumnFrame, type SnapshotBatch } from '../../db/sync/columns';
import { MOVEMENT_FIELDS, SNAPSHOT_CONTENT_TYPE, type MovementTuple } from '../../db/sync/wire';
import { syncLink } from '../../db/sync/link';
import { enrolledStation, tinyRegister } from './harness';

const split = (f: Buffer) => ({ rows: f.readUInt32BE(4), body: f.subarray(8) });

/** Packs `value` as a frame body, as the register would (no checks). */
const body = (value: unknown) => brotliCompressSync(Buffer.from(JSON.stringify(value)));

const uuid = fc.uuid();
const movement: fc.Arbitrary<MovementTuple> = fc
  .tuple(
    uuid,
    fc.constantFrom('s1', 's2', 's3'),
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.constantFrom('u1', 'u2'),
    fc.integer({ min: 0, max: 2 ** 45 }),
    fc.integer({ min: 0, max: 100_000 }),
    fc.constantFrom('a1', 'a2', 'a3', 'a4'),
    fc.option(uuid),
    fc.option(fc.string({ maxLength: 20 })),
    fc.option(fc.constantFrom('l1', 'l2')),
    fc.option(fc.constantFrom('l1', 'l2', 'l3')),
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom('move', 'delivery', 'return'),
    fc.option(fc.string({ maxLength: 10 })),
    fc.option(uuid),
  )
  .map((t) => {
    const m = [...t] as unknown[];
    m[5] = (m[4] as number) + (m[5] as number);
    return m as MovementTuple;
  });
const entityData = fc.dictionary(
  fc.constantFrom('id', 'name', 'site_id', 'at', 'gtins', 'flag', 'note'),
  fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
);
const batch: fc.Arbitrary<SnapshotBatch> = fc.oneof(
  fc.array(movement, { minLength: 1, maxLength: 40 }).map((rows) => ({ k: 'm' as const, rows })),
  fc.tuple(fc.constantFrom('article', 'service_job'), fc.uniqueArray(fc.tuple(uuid, entityData), { minLength: 1, maxLength: 40, selector: (r) => r[0] })).map(([kind, rows]) => ({
    k: 'e' as const,
    kind,
    ids: rows.map((r) => r[0]),
    data: rows.map((r) => JSON.stringify(r[1])),
  })),
  fc
    .array(fc.tuple(fc.constantFrom('a1', 'a2', 'a3'), fc.constantFrom('l1', 'l2'), fc.constantFrom('', 'LOT-1'), fc.integer({ min: -50, max: 5000 })), { minLength: 1, maxLength: 40 })
    .map((rows) => ({ k: 'b' as const, rows })),
);

/** The rows of a decoded frame, one array or record per row, as the register read them. */
function rowsOf(f: ColumnFrame): unknown[] {
  if (f.k === 'e') return f.ids.map((id, r) => [id, Object.fromEntries(f.fields.map((k, c) => [k, f.columns[c]![r]]))]);
  return f.columns[0]!.map((_, r) => f.columns.map((c) => c[r]));
}

function rowsRead(b: SnapshotBatch): unknown[] {
  if (b.k === 'e') return b.ids.map((id, r) => [id, JSON.parse(b.data[r]!) as unknown]);
  return b.rows.map((r) => [...r]);
}

const sortById = (rows: unknown[]) => [...rows].sort((x, y) => String((x as unknown[])[0]).localeCompare(String((y as unknown[])[0])));

describe('a full copy in columnar frames', () => {
  it('reads back every row the register wrote, in any order of batches, with the copy-wide dictionary in step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), async (batches) => {
        const encoder = new CopyEncoder();
        const decoder = new CopyDecoder();
        for (const b of batches) {
          const frames = await Promise.all(encoder.frames(b));
          const read = frames.map((f) => decoder.read(split(f).body, split(f).rows));
          // Master data is grouped by its fields, so its rows come back per group; movements and balances in order.
          const got = read.flatMap(rowsOf);
          if (b.k === 'e') expect(sortById(got)).toEqual(sortById(rowsRead(b)));
          else expect(got).toEqual(rowsRead(b));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses malformed, oversized or unknown frames with a reason', async () => {
    const ok = (await Promise.all(new CopyEncoder().frames({ k: 'b', rows: [['a1', 'l1', '', 3], ['a1', 'l2', '', 4]] })))[0]!;
    expect(new CopyDecoder().read(split(ok).body, 2)).toMatchObject({ k: 'b' });
    const refused = (b: Uint8Array, rows: number, reason: RegExp) => {
      let error: unknown;
      try {
        new CopyDecoder().read(b, rows);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CopyRefused);
      expect((error as Error).message).toMatch(reason);
      return error as CopyRefused;
    };
    // The frame head says another number of rows than the columns hold.
    refused(split(ok).body, 3, /another length/);
    // Not brotli, not JSON, not a known shape.
    refused(Buffer.from('not packed at all'), 1, /does not unpack/);
    refused(brotliCompressSync(Buffer.from('{"k":"b",')), 1, /not JSON/);
    refused(body({ k: 'x', c: [] }), 0, /unknown shape/);
    refused(body({ h: { epoch: 'e', cursor: 1, counts: { entities: 0, movements: 0, balances: 0 } } }), 0, /unknown shape/);
    // A bomb: small on the wire, larger than a frame may be once unpacked.
    refused(brotliCompressSync(Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x20)), 1, /larger than/);
    refused(ok.subarray(8), 1_000_000, /more than/);
    // Columns that do not add up: an index outside the dictionary, a front-coded text reaching before its start, a number not whole.
    refused(body({ k: 'b', c: [{ d: ['a1'], i: [5] }, ['l1'], [''], [1]] }), 1, /outside the copy's dictionary/);
    refused(body({ k: 'b', c: [{ p: [4], s: ['x'] }, ['l1'], [''], [1]] }), 1, /does not add up/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { z: [1.5] }] }), 1, /not whole/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { z: [2 ** 53] }] }), 1, /not whole or too large/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { o: 3, v: [1] }] }), 1, /not before it/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { d: [{ nested: 1 }], i: [0] }] }), 1, /unknown shape/);
    // Rows that fail their checks: a balance of text, a movement id too long, master data without an id or with a field that would reach the prototype.
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], ['3']] }), 1, /balance that fails/);
    const m = MOVEMENT_FIELDS.map((f) => (f === 'id' ? ['x'.repeat(65)] : f === 'individualId' || f === 'lot' || f === 'fromLocationId' || f === 'orderRef' || f === 'reverses' ? [null] : f === 'seq' || f === 'occurredAt' || f === 'recordedAt' || f === 'quantity' ? [1] : ['v']));
    refused(body({ k: 'm', f: MOVEMENT_FIELDS, c: m }), 1, /movement whose id fails/);
    refused(body({ k: 'e', t: 'article', f: ['name'], c: [[null], ['x']] }), 1, /without an id/);
    refused(body({ k: 'e', t: 'article', f: ['__proto__'], c: [['a'], [{}]] }), 1, /unknown shape/);
    // A movement field this station does not know: the register is newer, and the station is told to be updated.
    const newer = refused(body({ k: 'm', f: [...MOVEMENT_FIELDS, 'colour'], c: [...m.map((c, i) => (i === 0 ? ['m1'] : c)), ['red']] }), 1, /does not know \(colour\)/);
    expect(newer.update).toBe(true);
    // A copy that does not start with its totals.
    expect(() => readHeaderFrame(split(ok).body)).toThrow(CopyRefused);
  });

  it('changes nothing at a station when a frame of the copy is refused part-way', async () => {
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const count = (table: string) => (a.store.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const before = { movements: count('movements'), balances: count('balances'), individuals: count('individuals'), articles: count('articles'), link: syncLink(a.store) };
    expect(before.movements).toBeGreaterThan(0);
    // A good copy's first frames, then one that is refused.
    const encoder = new CopyEncoder();
    const decoder = new CopyDecoder();
    const good: Buffer[] = [];
    await reg.register.snapshotBatches({ header: () => undefined, batch: async (b) => void good.push(...(await Promise.all(encoder.frames(b)))) });
    function* frames(): Generator<ColumnFrame> {
      for (const f of good.slice(0, Math.max(1, good.length - 1))) yield decoder.read(split(f).body, split(f).rows);
      yield decoder.read(body({ k: 'b', c: [['a1'], ['l1'], [''], [{}]] }), 1);
    }
    expect(() => applyColumnSnapshot(a.store, { epoch: 'other', cursor: 999_999, counts: { entities: 0, movements: 0, balances: 0 } }, frames())).toThrow(CopyRefused);
    expect({ movements: count('movements'), balances: count('balances'), individuals: count('individuals'), articles: count('articles'), link: syncLink(a.store) }).toEqual(before);
    await a.close();
  });

  it('agrees on a shape with a station or register of an earlier version, and fills a station alike either way', async () => {
    const reg = await tinyRegister('sqlite');
    // Between station and register, a relay that drops `Accept`: the register answers as to a station of an earlier version, and the station reads what a register of an earlier version sends.
    const relay = createServer((req, res) => {
      const headers = { ...req.headers };
      delete headers.accept;
      const up = request({ host: '127.0.0.1', port: reg.server.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const lines = await enrolledStation(reg.register, `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, { start: false });
      const columns = await enrolledStation(reg.register, reg.server.url, { start: false });
      const token = (s: typeof lines) => syncLink(s.store)!.token;
      // What each asked for and got.
      const asked = await fetch(`${reg.server.url}/sync/snapshot`, { headers: { Authorization: `Bearer ${token(columns)}`, Accept: `${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}` } });
      expect(asked.headers.get('content-type')).toBe(SNAPSHOT_COLUMNS_CONTENT_TYPE);
      await asked.arrayBuffer();
      const plain = await fetch(`${reg.server.url}/sync/snapshot`, { headers: { Authorization: `Bearer ${token(lines)}` } });
      expect(plain.headers.get('content-type')).toBe(SNAPSHOT_CONTENT_TYPE);
      await plain.arrayBuffer();
      // Both stations hold the same copy.
      const dump = (s: typeof lines, table: string, order: string) => s.store.sqlite.prepare(`select * from ${table} order by ${order}`).all();
      for (const [table, order] of [
        ['movements', 'id'],
        ['balances', 'article_id, location_id, lot'],
        ['individuals', 'id'],
        ['articles', 'id'],
        ['article_gtins', 'gtin'],
        ['locations', 'id'],
        ['lots', 'article_id, lot'],
        ['users', 'id'],
        ['service_jobs', 'id'],
        ['reorder_settings', 'article_id, site_id'],
      ] as const)
        expect(dump(columns, table, order), table).toEqual(dump(lines, table, order));
      expect(syncLink(columns.store)!.cursor).toBe(syncLink(lines.store)!.cursor);
      await lines.close();
      await columns.close();
    } finally {
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });
});
