/**
 * A full copy in columnar frames: what the register writes, the station reads back row for row;
 * a station and a register of different versions agree on a shape (columns when both know them,
 * JSON lines otherwise) and fill a station alike; and a frame that is malformed, too large, or
 * names what this station does not know is refused with a reason, changing nothing.
 */
import fc from 'fast-check';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyColumnSnapshot } from '../../db/sync/apply';
import {
  CopyDecoder,
  CopyEncoder,
  CopyRefused,
  MAX_FRAME_BYTES,
  readHeaderFrame,
  SNAPSHOT_COLUMNS_2_CONTENT_TYPE,
  SNAPSHOT_COLUMNS_CONTENT_TYPE,
  type ColumnFrame,
  type ColumnsEdition,
  unpackFrame,
  type SnapshotBatch,
} from '../../db/sync/columns';
import { MOVEMENT_FIELDS, SNAPSHOT_CONTENT_TYPE, type MovementTuple } from '../../db/sync/wire';
import { syncLink } from '../../db/sync/link';
import { enrolledStation, tinyRegister } from './harness';

const split = (f: Buffer) => ({ rows: f.readUInt32BE(4), body: f.subarray(8) });

/** Every frame of a copy of `batches`, as the register sends them (the last held ones at the end). */
async function encodeAll(encoder: CopyEncoder, batches: readonly SnapshotBatch[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const b of batches) out.push(...(await Promise.all(encoder.frames(b))));
  out.push(...(await Promise.all(encoder.end())));
  return out;
}

/** The frames of a copy as it came over the wire. */
function framesIn(all: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += 8 + all.readUInt32BE(at)) out.push(all.subarray(at, at + 8 + all.readUInt32BE(at)));
  return out;
}

/** The shapes of a frame's columns as they travel (the sorted keys of each, `[]` for values as they are). */
const shapesOf = (f: Buffer) => ((JSON.parse(brotliDecompressSync(split(f).body).toString('utf8')) as { c?: unknown[] }).c ?? []).map((c) => (Array.isArray(c) ? '[]' : Object.keys(c as object).sort().join(',')));
const FIRST_EDITION_SHAPES = new Set(['[]', 'z', 'o,v', 'd,i', 'p,s', 'k,p,s']);

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
/** Master data whose fields follow from each other as the register's do: the row's id again, times told from one another (some missing), a UDI ending with its serial number. */
const relatedRows = fc
  .uniqueArray(
    fc.tuple(uuid, fc.option(fc.integer({ min: 0, max: 2 ** 45 })), fc.integer({ min: -5000, max: 5000 }), fc.string({ maxLength: 8 }), fc.option(fc.string({ maxLength: 6 })), fc.boolean()),
    { minLength: 1, maxLength: 40, selector: (r) => r[0] },
  )
  .map((rows) => ({
    k: 'e' as const,
    kind: 'individual',
    ids: rows.map((r) => r[0]),
    data: rows.map(([id, started, took, serial, prefix, same]) =>
      JSON.stringify({ id, started_at: started, done_at: started === null ? null : started + took, serial_number: serial, udi: prefix === null ? null : `${prefix}${serial}`, site_id: same ? id : 'x' }),
    ),
  }));
const batch: fc.Arbitrary<SnapshotBatch> = fc.oneof(
  relatedRows,
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


/** A small register's copy made the same each time (a seeded generator): articles, devices with UDIs, movements over 90 days, balances. */
function syntheticCopy(): SnapshotBatch[] {
  let seed = 21;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(random() * n);
  const hex = (digits: number) => Array.from({ length: digits }, () => int(16).toString(16)).join('');
  let clock = 1_796_000_000_000;
  // Time-ordered ids (UUIDv7), as stations and the register make them.
  const uuid7 = () => {
    clock += int(3);
    const t = clock.toString(16).padStart(12, '0');
    return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`;
  };
  const pick = <T>(list: readonly T[]) => list[int(list.length)]!;
  const sites = Array.from({ length: 5 }, uuid7);
  const locations = Array.from({ length: 200 }, uuid7);
  const users = Array.from({ length: 12 }, uuid7);
  const stations = Array.from({ length: 5 }, uuid7);
  const articles = Array.from({ length: 1000 }, uuid7);
  const gtin = new Map(articles.map((a) => [a, `0735${String(int(1e10)).padStart(10, '0')}`]));
  const individuals = Array.from({ length: 20_000 }, uuid7);
  const now = 1_796_000_000_000;
  const batches: SnapshotBatch[] = [];
  const inBatches = <T>(rows: T[], make: (rows: T[]) => SnapshotBatch) => {
    for (let i = 0; i < rows.length; i += 10_000) batches.push(make(rows.slice(i, i + 10_000)));
  };
  inBatches(articles, (ids) => ({ k: 'e', kind: 'article', ids, data: ids.map((id, i) => JSON.stringify({ id, article_number: `A${100000 + i}`, name: `Rollator ${pick(['Kust', 'Fjäll', 'Skog'])} ${int(60)} cm`, gtins: [gtin.get(id)] })) }));
  inBatches(individuals, (ids) => ({
    k: 'e',
    kind: 'individual',
    ids,
    data: ids.map((id, i) => {
      const article = pick(articles);
      const serial = `${pick(['04', '09', '12', '18'])}${String.fromCharCode(65 + int(26))}${10 + int(16)}${String(i).padStart(6, '0')}`;
      const updated = now - int(90 * 86_400_000);
      const onLoan = random() < 0.3;
      return JSON.stringify({
        id,
        article_id: article,
        serial_number: serial,
        udi: random() < 0.3 ? `(01)${gtin.get(article)}(21)${serial}` : null,
        status: onLoan ? 'on_loan' : pick(['in_stock', 'in_stock', 'returned', 'in_reconditioning']),
        site_id: pick(sites),
        location_id: onLoan ? null : pick(locations),
        updated_at: updated,
        ready_since: onLoan || random() < 0.3 ? null : updated - int(30 * 86_400_000),
        loan_since: onLoan ? updated : null,
      });
    }),
  }));
  const seqs = new Map(stations.map((s) => [s, 0]));
  const movements = Array.from({ length: 50_000 }, (): MovementTuple => {
    const station = pick(stations);
    const seq = seqs.get(station)! + 1;
    seqs.set(station, seq);
    const occurred = now - int(90 * 86_400_000);
    const device = random() < 0.4 ? pick(individuals) : null;
    return [uuid7(), station, seq, pick(users), occurred, occurred + 60_000 + int(50_000), pick(articles), device, null, random() < 0.2 ? null : pick(locations), pick(locations), device ? 1 : 1 + int(20), pick(['move', 'delivery', 'return', 'pick']), random() < 0.3 ? `KO-${String(int(1e7)).padStart(7, '0')}` : null, null];
  });
  inBatches(movements, (rows) => ({ k: 'm', rows }));
  const balances = Array.from({ length: 20_000 }, (_, i): [string, string, string, number] => [articles[Math.floor(i / 20)]!, pick(locations), '', 1 + int(300)]);
  inBatches(balances, (rows) => ({ k: 'b', rows }));
  return batches;
}

describe('a full copy in columnar frames', () => {
  it('takes a tenth less on the wire in the second edition than in the first, on the same copy, and reads back alike', async () => {
    const batches = syntheticCopy();
    const size = (frames: Buffer[]) => frames.reduce((n, f) => n + f.length, 0);
    const first = await encodeAll(new CopyEncoder(1), batches);
    const second = await encodeAll(new CopyEncoder(2), batches);
    expect(size(second)).toBeLessThan(0.9 * size(first));
    // Fewer, larger frames.
    expect(second.length).toBeLessThan(first.length);
    const read = (frames: Buffer[]) => {
      const decoder = new CopyDecoder();
      return frames
        .map((f) => decoder.read(split(f).body, split(f).rows))
        .flatMap((f) => rowsOf(f).map((row) => `${f.k === 'e' ? f.kind : f.k}:${JSON.stringify(row)}`))
        .sort();
    };
    expect(read(second)).toEqual(read(first));
  });

  it('reads back every row the register wrote, in any order of batches, with the copy-wide dictionary in step, in either edition', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), fc.constantFrom<ColumnsEdition>(1, 2), async (batches, edition) => {
        const frames = await encodeAll(new CopyEncoder(edition), batches);
        const decoder = new CopyDecoder();
        const read = frames.map((f) => decoder.read(split(f).body, split(f).rows));
        // The first edition packs each batch as it comes; the second gathers a kind's batches.
        if (edition === 1) expect(frames.length).toBeGreaterThanOrEqual(batches.length);
        else for (const f of frames) expect(shapesOf(f).length).toBeGreaterThan(0);
        // Master data is grouped by its fields, so its rows come back per group; movements and balances in order.
        const key = (k: string) => (row: unknown) => `${k}:${JSON.stringify(row)}`;
        const got = read.flatMap((f) => rowsOf(f).map(key(f.k === 'e' ? f.kind : f.k))).sort();
        const wrote = batches.flatMap((b) => rowsRead(b).map(key(b.k === 'e' ? b.kind : b.k))).sort();
        expect(got).toEqual(wrote);
        // Movements and balances keep their order.
        for (const k of ['m', 'b'] as const) expect(read.filter((f) => f.k === k).flatMap(rowsOf)).toEqual(batches.filter((b) => b.k === k).flatMap(rowsRead));
        if (edition === 1) for (const f of frames) for (const shape of shapesOf(f)) expect(FIRST_EDITION_SHAPES).toContain(shape);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses malformed, oversized or unknown frames with a reason', async () => {
    const ok = (await encodeAll(new CopyEncoder(), [{ k: 'b', rows: [['a1', 'l1', '', 3], ['a1', 'l2', '', 4]] }]))[0]!;
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
    // The same when unpacked ahead on the thread pool, as a station saving its copy as it arrives does.
    expect(new CopyDecoder().readUnpacked(await unpackFrame(split(ok).body), 2)).toMatchObject({ k: 'b' });
    await expect(unpackFrame(Buffer.from('not packed at all'))).rejects.toThrow(/does not unpack/);
    await expect(unpackFrame(brotliCompressSync(Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x20)))).rejects.toThrow(/larger than/);
    expect(() => new CopyDecoder().readUnpacked(Buffer.from('{"k":"b",'), 1)).toThrow(/not JSON/);
    expect(() => new CopyDecoder().readUnpacked(Buffer.from('{}'), 1_000_000)).toThrow(/more than/);
    // Columns that do not add up: an index outside the dictionary, a front-coded text reaching before its start, a number not whole.
    refused(body({ k: 'b', c: [{ d: ['a1'], i: [5] }, ['l1'], [''], [1]] }), 1, /outside the copy's dictionary/);
    refused(body({ k: 'b', c: [{ p: [4], s: ['x'] }, ['l1'], [''], [1]] }), 1, /does not add up/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { z: [1.5] }] }), 1, /not whole/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { z: [2 ** 53] }] }), 1, /not whole or too large/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { o: 3, v: [1] }] }), 1, /not before it/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], [''], { d: [{ nested: 1 }], i: [0] }] }), 1, /unknown shape/);
    // The second edition's shapes that do not add up: a column the same as one not before it, ids of another number of bytes, outside a UUID's range or not base64, a text ending with what is not text, shapes nested in an ending.
    refused(body({ k: 'b', c: [['a1'], { s: 1 }, [''], [1]] }), 1, /not before it/);
    refused(body({ k: 'b', c: [{ u: [1], m: [2], b: Buffer.alloc(7).toString('base64') }, ['l1'], [''], [1]] }), 1, /ids that does not add up/);
    refused(body({ k: 'b', c: [{ u: [2 ** 48], m: [2], b: Buffer.alloc(8).toString('base64') }, ['l1'], [''], [1]] }), 1, /ids that does not add up/);
    refused(body({ k: 'b', c: [{ u: [1, 0], m: [0xffff, 1], b: Buffer.alloc(16).toString('base64') }, ['l1', 'l1'], ['', ''], [1, 1]] }), 2, /ids that does not add up/);
    refused(body({ k: 'b', c: [{ u: [1], m: [2], b: '!!!!!!!!!!!!' }, ['l1'], [''], [1]] }), 1, /ids that does not add up/);
    refused(body({ k: 'b', c: [['a1'], [''], { x: 3, r: ['l'] }, [1]] }), 1, /not before it/);
    refused(body({ k: 'b', c: [['a1'], [7], { x: 1, r: ['l'] }, [1]] }), 1, /does not add up/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], { x: 1, r: { x: 0, r: [''] } }, [1]] }), 1, /unknown shape/);
    refused(body({ k: 'b', c: [['a1'], ['l1'], { x: 1, r: { s: 0 } }, [1]] }), 1, /unknown shape/);
    refused(body({ k: 'b', c: [['a1', 'a1'], ['l1', 'l1'], ['', ''], { z: [null, 'x'] }] }), 2, /not whole/);
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
    const decoder = new CopyDecoder();
    const batches: SnapshotBatch[] = [];
    await reg.register.snapshotBatches({ header: () => undefined, batch: (b) => void batches.push(b) });
    const good = await encodeAll(new CopyEncoder(), batches);
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
    // Between station and register, relays that drop `Accept` or name the first edition of columns only: the register answers as to a
    // station of an earlier version, and the station reads what a register of an earlier version sends.
    const relayAsking = (accept: string | null) =>
      createServer((req, res) => {
        const headers = { ...req.headers };
        if (accept === null) delete headers.accept;
        else headers.accept = accept;
        const up = request({ host: '127.0.0.1', port: reg.server.port, path: req.url, method: req.method, headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        req.pipe(up);
      });
    const relay = relayAsking(null);
    const relayFirst = relayAsking(`${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}`);
    for (const r of [relay, relayFirst]) await new Promise<void>((resolve) => r.listen(0, '127.0.0.1', resolve));
    try {
      const lines = await enrolledStation(reg.register, `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, { start: false });
      const first = await enrolledStation(reg.register, `http://127.0.0.1:${(relayFirst.address() as AddressInfo).port}`, { start: false });
      const columns = await enrolledStation(reg.register, reg.server.url, { start: false });
      const token = (s: typeof lines) => syncLink(s.store)!.token;
      // What each asked for and got: the newest edition both know, and to a station of the first edition only the first's shapes.
      const asked = await fetch(`${reg.server.url}/sync/snapshot`, { headers: { Authorization: `Bearer ${token(columns)}`, Accept: `${SNAPSHOT_COLUMNS_2_CONTENT_TYPE}, ${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}` } });
      expect(asked.headers.get('content-type')).toBe(SNAPSHOT_COLUMNS_2_CONTENT_TYPE);
      await asked.arrayBuffer();
      const older = await fetch(`${reg.server.url}/sync/snapshot`, { headers: { Authorization: `Bearer ${token(first)}`, Accept: `${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}` } });
      expect(older.headers.get('content-type')).toBe(SNAPSHOT_COLUMNS_CONTENT_TYPE);
      const olderFrames = framesIn(Buffer.from(await older.arrayBuffer()));
      expect(olderFrames.length).toBeGreaterThan(2);
      for (const f of olderFrames.slice(1)) for (const shape of shapesOf(f)) expect(FIRST_EDITION_SHAPES).toContain(shape);
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
      ] as const) {
        expect(dump(columns, table, order), table).toEqual(dump(lines, table, order));
        expect(dump(first, table, order), table).toEqual(dump(lines, table, order));
      }
      expect(syncLink(columns.store)!.cursor).toBe(syncLink(lines.store)!.cursor);
      expect(syncLink(first.store)!.cursor).toBe(syncLink(lines.store)!.cursor);
      await lines.close();
      await first.close();
      await columns.close();
    } finally {
      for (const r of [relay, relayFirst]) {
        r.closeAllConnections();
        await new Promise<void>((resolve) => r.close(() => resolve()));
      }
    }
  });
});
