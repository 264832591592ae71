/**
 * A new station's first copy, saved frame by frame as it arrives: the register's read, the way and
 * the station's writing overlap. Whatever stops it on the way (the line cut inside a frame, a copy
 * that ends cleanly but short of its header's counts, a frame refused) leaves the station as it was
 * before the copy began: not set up, holding nothing, and the next round takes the copy whole.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../services/events';
import { arrivingFrameBodies } from '../../services/register-copy';
import { enrolWithRegister, SyncEngine, type SyncProgress } from '../../services/sync';
import { openStationDb, type StationDb } from '../../db/open';
import { openSqlite } from '../../db/cipher';
import { isStationSetUp } from '../../db/station';
import { strict as assert } from 'node:assert';
import { applyColumnSnapshot, applyStreamedColumnSnapshot } from '../../db/sync/apply';
import { MOVEMENT_COLUMNS, type SnapshotHeader } from '../../db/sync/wire';
import { CopyDecoder, CopyRefused, MAX_FRAME_BYTES, readHeaderFrame, SNAPSHOT_COLUMNS_2_CONTENT_TYPE, type ColumnFrame } from '../../db/sync/columns';
import { syncLink } from '../../db/sync/link';
import { tempDir } from '../helpers';
import { returnIndividual } from '../../db/workflows/returns';
import { enrolledStation, FAST, STORES, tinyRegister, type TestRegister } from './harness';

/** What a relay does to the snapshot's body (every other call passes as it is). */
type Cut = { kind: 'mid-frame'; fraction: number } | { kind: 'whole-frames'; keep: number } | { kind: 'bomb'; at: number } | { kind: 'refused-then-held'; at: number } | { kind: 'held'; at: number };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** Splits a whole body into its frames, `[u32 length][u32 rows][body]`. */
function framesOf(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const end = at + 8 + body.readUInt32BE(at);
    out.push(body.subarray(at, end));
    at = end;
  }
  return out;
}

/** A relay in front of the register that, while `cut` is set, ends the snapshot's body early: the socket destroyed inside a frame, or the response ended cleanly after some whole frames. */
async function cuttingRelay(port: number): Promise<{ url: string; cut: Cut | null; held: number }> {
  const relay = { url: '', cut: null as Cut | null, held: 0 };
  const server = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (r: IncomingMessage) => {
      const cut = relay.cut;
      if (!cut || !req.url?.startsWith('/sync/snapshot')) {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const whole = Buffer.concat(chunks);
        const headers = { ...r.headers };
        delete headers['content-length'];
        res.writeHead(r.statusCode ?? 502, headers);
        if (cut.kind === 'whole-frames') {
          res.end(Buffer.concat(framesOf(whole).slice(0, cut.keep)));
          return;
        }
        if (cut.kind === 'held') {
          // Whole frames, then nothing more: the line gone quiet in the middle of the copy.
          res.write(Buffer.concat(framesOf(whole).slice(0, cut.at)));
          res.on('close', () => relay.held++);
          return;
        }
        if (cut.kind === 'refused-then-held') {
          // Whole frames, then one that does not unpack, and the answer left open: the station must close it.
          const frames = framesOf(whole).slice(0, cut.at);
          const junk = Buffer.from('not brotli at all');
          const head = Buffer.alloc(8);
          head.writeUInt32BE(junk.length, 0);
          head.writeUInt32BE(1, 4);
          res.write(Buffer.concat([...frames, head, junk]));
          res.on('close', () => relay.held++);
          return;
        }
        if (cut.kind === 'bomb') {
          // One frame swapped for one small on the way and larger than a frame may be once unpacked.
          const frames = framesOf(whole);
          const body = brotliCompressSync(Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x20));
          const head = Buffer.alloc(8);
          head.writeUInt32BE(body.length, 0);
          head.writeUInt32BE(1, 4);
          frames[cut.at] = Buffer.concat([head, body]);
          res.end(Buffer.concat(frames));
          return;
        }
        res.write(whole.subarray(0, Math.floor(whole.length * cut.fraction)), () => res.socket?.destroy());
      });
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

const count = (store: StationDb, table: string) => (store.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

/** What a station holds, table by table: the same for a copy taken whole after a failed one as for one taken at once. */
const holdings = (store: StationDb) => Object.fromEntries(['users', 'articles', 'locations', 'individuals', 'movements', 'balances', 'service_jobs', 'station'].map((t) => [t, count(store, t)]));

/** A station's copy as the register sends it, read whole and decoded frame by frame (the header apart). */
async function decodedCopy(store: StationDb, query = '?scope=site') {
  const link = syncLink(store)!;
  const res = await fetch(`${link.registerUrl}/sync/snapshot${query}`, { headers: { Authorization: `Bearer ${link.token}`, Accept: SNAPSHOT_COLUMNS_2_CONTENT_TYPE } });
  const [head, ...rest] = framesOf(Buffer.from(await res.arrayBuffer()));
  const decoder = new CopyDecoder();
  return { header: readHeaderFrame(head!.subarray(8)), frames: rest.map((f) => decoder.read(f.subarray(8), f.readUInt32BE(4))) };
}

async function newStation(reg: TestRegister, url: string, siteKind = '', siteId?: string) {
  const [site] = siteId ? [{ id: siteId }] : await reg.register.db.all<{ id: string }>(`select id from entities where kind = 'site' and data like $1 order by id limit 1`, [`%${siteKind}%`]);
  const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
  await enrolWithRegister(store, url, await reg.register.createEnrolmentCode({ stationName: `Streamed ${Math.random().toString(36).slice(2, 6)}`, siteId: site!.id }));
  const events = new EventHub();
  const seen: SyncProgress[] = [];
  /** Whether the station said it was online, with each step of progress. */
  const online: boolean[] = [];
  events.subscribe((e) => {
    if (e.type === 'sync.status' && e.status.progress) {
      seen.push(e.status.progress);
      online.push(e.status.online);
    }
  });
  const engine = new SyncEngine(store, events, FAST);
  closers.push(async () => {
    await engine.stop();
    store.close();
  });
  return { store, engine, seen, online };
}

/**
 * A register with a cutting relay in front of it, and a station that took its copy whole straight
 * from the register (what a copy taken through the relay must come to). Small pages: master data
 * and movements come in turns, many frames of each.
 */
async function behindRelay(kind: (typeof STORES)[number]) {
  const reg = await tinyRegister(kind, { copyPage: 40 });
  const relay = await cuttingRelay(reg.server.port);
  const whole = await newStation(reg, reg.server.url);
  await whole.engine.syncNow();
  return { reg, relay, whole };
}

describe.each(STORES)('a new station saving its first copy as it arrives (%s register)', (kind) => {
  it('holds nothing after a copy cut inside a frame or ended short of its counts, and takes it whole on the next round', async () => {
    const { reg, relay, whole } = await behindRelay(kind);
    const expected = holdings(whole.store);
    expect(expected.individuals).toBeGreaterThan(0);
    expect(expected.movements).toBeGreaterThan(0);

    const s = await newStation(reg, relay.url);
    const triggers = () => count(s.store, "sqlite_master where type = 'trigger'");
    const before = { holdings: holdings(s.store), triggers: triggers(), indexes: count(s.store, "sqlite_master where type = 'index'") };
    // A copy refused comes first and one cut on the way last, so the station begins the whole copy offline.
    for (const cut of [{ kind: 'bomb', at: 7 }, { kind: 'refused-then-held', at: 5 }, { kind: 'whole-frames', keep: 6 }, { kind: 'mid-frame', fraction: 0.6 }] as const) {
      relay.cut = cut;
      s.seen.length = 0;
      await s.engine.syncNow();
      // Rows were saved as they came before the copy stopped; none of them stays.
      expect(s.seen.some((p) => p.phase === 'download' && p.done > 0)).toBe(true);
      expect(s.seen.some((p) => p.phase === 'finish')).toBe(false);
      expect(isStationSetUp(s.store)).toBe(false);
      expect(holdings(s.store)).toEqual(before.holdings);
      expect(triggers()).toBe(before.triggers);
      expect(count(s.store, "sqlite_master where type = 'index'")).toBe(before.indexes);
      expect(count(s.store, 'sync_applying')).toBe(0);
      expect(s.store.sqlite.inTransaction).toBe(false);
      // Said in words for a station that has nothing yet: it cannot be used until the copy is in, and takes it again from the start.
      if (cut.kind === 'refused-then-held') {
        // The station closed the download it refused, though the register kept sending.
        for (let i = 0; i < 200 && relay.held === 0; i++) await new Promise((r) => setTimeout(r, 10));
        expect(relay.held).toBe(1);
      }
      if (cut.kind === 'bomb' || cut.kind === 'refused-then-held') expect(s.engine.status().lastError?.sv).toMatch(/kunde inte ta emot/);
      else expect(s.engine.status().lastError?.sv).toMatch(/kan inte hämta sina data än.*hämtar då allt från början/);
    }

    relay.cut = null;
    s.seen.length = 0;
    s.online.length = 0;
    await s.engine.syncNow();
    // Online from the register's first answer on, though the last attempt failed: the copy is coming.
    expect(s.online.length).toBeGreaterThan(0);
    expect(s.online.every(Boolean)).toBe(true);
    expect(isStationSetUp(s.store)).toBe(true);
    expect(holdings(s.store)).toEqual(expected);
    expect(s.engine.status().lastError).toBeNull();
    // Fetched and saved as they came, then finished once every row was in; no stored copy in between.
    const downloads = s.seen.filter((p) => p.phase === 'download');
    expect(downloads.at(-1)!.done).toBe(downloads.at(-1)!.total);
    expect(s.seen.some((p) => p.phase === 'apply')).toBe(false);
    expect(s.seen.filter((p) => p.phase === 'finish').map((p) => p.done)).toEqual([downloads.at(-1)!.total]);
  });
});

describe.each(STORES)('a new station closed in the middle of its first copy (%s register)', (kind) => {
  it('closes at once, holding nothing, and takes the copy whole when it starts again', async () => {
    const { reg, relay, whole } = await behindRelay(kind);
    const s = await newStation(reg, relay.url);
    const before = holdings(s.store);
    relay.cut = { kind: 'held', at: 6 };
    const round = s.engine.syncNow();
    // Rows are being saved when the station is closed (the app quit, the machine shut down).
    for (let i = 0; i < 500 && !s.seen.some((p) => p.phase === 'download' && p.done > 0); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.seen.some((p) => p.phase === 'download' && p.done > 0)).toBe(true);
    await s.engine.stop();
    await round;
    expect(isStationSetUp(s.store)).toBe(false);
    expect(holdings(s.store)).toEqual(before);
    expect(s.store.sqlite.inTransaction).toBe(false);
    // The station gave up its download; it says nothing about the register it did not find out.
    for (let i = 0; i < 200 && relay.held === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(relay.held).toBe(1);
    expect(s.engine.status().lastError).toBeNull();
    // Started again, it takes the copy from the start.
    relay.cut = null;
    const again = new SyncEngine(s.store, new EventHub(), FAST);
    closers.push(() => again.stop());
    await again.syncNow();
    expect(isStationSetUp(s.store)).toBe(true);
    expect(holdings(s.store)).toEqual(holdings(whole.store));
  }, 60_000);
});

describe.each(STORES)('a station that walks away from its copy (%s register)', (kind) => {
  it("frees the register's read: every station's pulls and the next copy are answered", async () => {
    const reg = await tinyRegister(kind, { copyPage: 40 });
    const working = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const s = await newStation(reg, reg.server.url);
    const link = syncLink(s.store)!;
    // The copy's first bytes, then the station goes (refused, stopped, its cable pulled) without reading on.
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${link.registerUrl}/sync/snapshot?scope=site`, { headers: { Authorization: `Bearer ${link.token}`, Accept: SNAPSHOT_COLUMNS_2_CONTENT_TYPE } });
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
    }
    // The register goes on answering: a station at work pulls, and the new one takes its copy whole.
    await working.engine.syncNow();
    expect(working.engine.status().lastError).toBeNull();
    await s.engine.syncNow();
    expect(s.engine.status().lastError).toBeNull();
    expect(isStationSetUp(s.store)).toBe(true);
    await working.close();
  }, 60_000);
});

describe.each(STORES)('a new station whose database another connection still reads (%s register)', (kind) => {
  it('takes its first copy through the write-ahead log, whole, and stays in it', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40 });
    const whole = await newStation(reg, reg.server.url);
    await whole.engine.syncNow();
    // The integrity check at start reads on its own connection in a worker thread; on a slow machine it may still be open when the copy comes.
    const s = await newStation(reg, reg.server.url);
    const reader = openSqlite(s.store.file, s.store.databaseKey(), { readonly: true });
    try {
      expect(reader.prepare('select count(*) as n from station').get()).toEqual({ n: 0 });
      await s.engine.syncNow();
      expect(s.engine.status().lastError).toBeNull();
      expect(isStationSetUp(s.store)).toBe(true);
      expect(holdings(s.store)).toEqual(holdings(whole.store));
      expect(s.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });
});

describe.each(STORES)("a new station's devices and jobs written in bulk (%s register)", (kind) => {
  it('are what the same copy written row by row over them leaves: taking it again changes nothing', async () => {
    // Each copy read as the register holds it now (none given again as made: the copy taken twice must be the same).
    const reg = await tinyRegister(kind, { copyPage: 40, madeCopyChanges: 0 });
    // Devices taken back at a station of the first site: that site's reconditioning queue, with each job's steps.
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const site = (a.store.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;
    const user = (a.store.sqlite.prepare('select id from users where active = 1 order by id limit 1').get() as { id: string }).id;
    const lent = a.store.sqlite.prepare("select id from individuals where status = 'on_loan' and location_id is null order by individual_number limit 3").all() as { id: string }[];
    expect(lent.length).toBeGreaterThan(1);
    for (const d of lent) returnIndividual(a.store, { stationId: a.stationId, userId: user, siteId: site }, { individualId: d.id, missing: [] });
    await a.engine.syncNow();
    const s = await newStation(reg, reg.server.url, '', site);
    const store = s.store;
    await s.engine.syncNow();
    const dump = () =>
      Object.fromEntries(
        ['individuals', 'service_jobs', 'service_events', 'service_queue_by_article', 'service_done_by_day'].map((t) => [t, store.sqlite.prepare(`select * from ${t} order by 1, 2`).all()]),
      );
    const bulk = dump();
    expect(bulk.service_jobs!.length).toBeGreaterThan(0);
    expect(bulk.service_events!.length).toBeGreaterThan(0);

    // The same copy again, onto tables that now hold rows: row by row, as a station that holds a copy takes a new one.
    const { header, frames } = await decodedCopy(store);
    // Master data and movements came in turns: master data after the first movements.
    const kinds = frames.map((f) => f.k);
    expect(kinds.indexOf('m')).toBeGreaterThan(0);
    expect(kinds.indexOf('e', kinds.indexOf('m'))).toBeGreaterThan(kinds.indexOf('m'));
    applyColumnSnapshot(store, header, frames);
    expect(dump()).toEqual(bulk);

    // The same copy with one movement naming a device no copy holds: refused whole, at a new station.
    const forged = await newStation(reg, reg.server.url, '', site);
    const empty = holdings(forged.store);
    const at = MOVEMENT_COLUMNS.indexOf('individual_id');
    const moves = frames.find((f) => f.k === 'm' && f.columns[at]!.some((v) => v !== null))!;
    assert(moves.k === 'm');
    const row = moves.columns[at]!.findIndex((v) => v !== null);
    const altered = frames.map((f) => (f === moves ? { ...moves, columns: moves.columns.map((c, i) => (i === at ? c.map((v, r) => (r === row ? '0190e0e0-0000-7000-8000-00000000dead' : v)) : c)) } : f));
    const arriving = async function* () {
      yield* altered;
    };
    await expect(applyStreamedColumnSnapshot(forged.store, header, arriving())).rejects.toThrow(CopyRefused);
    expect(isStationSetUp(forged.store)).toBe(false);
    expect(holdings(forged.store)).toEqual(empty);
    expect(forged.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(forged.store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await a.close();
  });
});

describe.each(STORES)("a new station's copy as it arrives (%s register)", (kind) => {
  it("has its devices' indexes built once the last device is in, while movements still come, and ends as the copy taken at once", async () => {
    const reg = await tinyRegister(kind, { copyPage: 20 });
    const whole = await newStation(reg, reg.server.url);
    await whole.engine.syncNow();
    const s = await newStation(reg, reg.server.url);
    const { header, frames: decoded } = await decodedCopy(s.store);
    // As on a large copy, master data ends before the movements do (here the last movements are held back to the end; a copy may come in any order).
    const lastMoves = decoded.map((f) => f.k).lastIndexOf('m');
    const frames = [...decoded.filter((f, i) => f.k !== 'b' && i !== lastMoves), decoded[lastMoves]!, ...decoded.filter((f) => f.k === 'b')];
    const lastEntity = frames.map((f) => f.k).lastIndexOf('e');
    expect(frames[lastEntity + 1]!.k).toBe('m');
    const indexesOf = (table: string) =>
      (s.store.sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by name").all(table) as { name: string }[]).map((r) => r.name);
    const devices = indexesOf('individuals');
    const ledger = indexesOf('movements');
    expect(devices.length).toBeGreaterThan(0);
    const seen: { devices: string[]; ledger: string[] }[] = [];
    const arriving = async function* () {
      for (const f of frames) {
        // Each frame is written before the next is asked for: what the station holds after each.
        yield f;
        seen.push({ devices: indexesOf('individuals'), ledger: indexesOf('movements') });
      }
    };
    await applyStreamedColumnSnapshot(s.store, header, arriving());
    // Back in the write-ahead log, which folds in at once: a station closed the moment its copy is in closes cleanly.
    expect(s.store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(() => s.store.sqlite.pragma('wal_checkpoint(TRUNCATE)')).not.toThrow();
    // Until the last device's frame the devices' indexes wait; from it they are there. Of the ledger's, those
    // that follow the order the movements come in (when each happened, each station's numbering) are kept up
    // throughout; the rest wait to the end.
    const keptUp = ['movements_occurred', 'movements_station_seq'];
    expect(ledger).toEqual(expect.arrayContaining(keptUp));
    expect(ledger.length).toBeGreaterThan(keptUp.length);
    expect(seen).toEqual(frames.map((_, i) => ({ devices: i < lastEntity ? [] : devices, ledger: keptUp })));
    expect(indexesOf('individuals')).toEqual(devices);
    expect(indexesOf('movements')).toEqual(ledger);
    expect(s.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(holdings(s.store)).toEqual(holdings(whole.store));

    // A copy with more master data than its header counts (a device's frame once more, after the
    // indexes are back) is refused whole, rather than one row silently replacing another.
    const over = await newStation(reg, reg.server.url);
    const empty = holdings(over.store);
    const more = async function* () {
      yield* frames.slice(0, lastEntity + 1);
      yield frames[lastEntity]!;
      yield* frames.slice(lastEntity + 1);
    };
    await expect(applyStreamedColumnSnapshot(over.store, header, more())).rejects.toThrow(CopyRefused);
    expect(isStationSetUp(over.store)).toBe(false);
    expect(holdings(over.store)).toEqual(empty);

    // A movement naming an article, a person, a device or a place no copy holds is refused as soon
    // as it can be told: once the last of the master data is in for one that came before it, at its
    // own frame for one that comes after; the rest of the copy is not waited for, and the station
    // holds nothing. Each frame's first and last movement naming one is forged in turn.
    const firstMoves = frames.findIndex((f) => f.k === 'm');
    expect(firstMoves).toBeLessThan(lastEntity);
    // An id no table holds, and a place's id given as an article's.
    const place = (frames.find((f) => f.k === 'e' && f.kind === 'location') as Extract<ColumnFrame, { k: 'e' }>).ids[0]!;
    const forgings: { field: string; table: string; forgedAt: number; refusedAt: number; last: boolean; value: string }[] = [];
    const nowhere = '0190e0e0-0000-7000-8000-00000000beef';
    for (const [field, table] of [['article_id', 'articles'], ['user_id', 'users'], ['individual_id', 'individuals'], ['to_location_id', 'locations'], ['from_location_id', 'locations']] as const)
      for (const last of [false, true])
        forgings.push({ field, table, forgedAt: firstMoves, refusedAt: lastEntity, last, value: nowhere }, { field, table, forgedAt: lastEntity + 1, refusedAt: lastEntity + 1, last, value: nowhere });
    forgings.push({ field: 'article_id', table: 'articles', forgedAt: lastEntity + 1, refusedAt: lastEntity + 1, last: true, value: place });
    // One station takes every forged copy in turn: each refused leaves it as new.
    const forged = await newStation(reg, reg.server.url);
    const alter = (at: number, change: (columns: unknown[][]) => unknown[][]) => frames.map((f, i) => (i === at && f.k === 'm' ? { ...f, columns: change(f.columns) } : f));
    const refusal = async (altered: ColumnFrame[], h: SnapshotHeader, reason: string | RegExp) => {
      let taken = 0;
      const arrivingForged = async function* () {
        for (const f of altered) {
          taken++;
          yield f;
        }
      };
      await expect(applyStreamedColumnSnapshot(forged.store, h, arrivingForged())).rejects.toThrow(reason);
      expect(isStationSetUp(forged.store)).toBe(false);
      expect(holdings(forged.store)).toEqual(empty);
      return taken;
    };
    for (const { field, table, forgedAt, refusedAt, last, value } of forgings) {
      const moves = frames[forgedAt]!;
      assert(moves.k === 'm');
      const column = MOVEMENT_COLUMNS.indexOf(field);
      const named = moves.columns[column]!.flatMap((v, r) => (v === null ? [] : [r]));
      expect(named.length, field).toBeGreaterThan(1);
      const row = last ? named[named.length - 1]! : named[0]!;
      const altered = alter(forgedAt, (columns) => columns.map((c, i) => (i === column ? c.map((v, r) => (r === row ? value : v)) : c)));
      expect(await refusal(altered, header, `movements to ${table}`), `${field} at frame ${forgedAt}`).toBe(refusedAt + 1);
    }

    // A copy without its master data, its header counting none: what its movements name is looked up at its end.
    const bare = frames.filter((f) => f.k !== 'e');
    await refusal(bare, { ...header, counts: { ...header.counts, entities: 0 } }, /movements to (articles|users|locations|individuals)/);

    // A movement the ledger would not take (its id given twice, a quantity of none, the same place
    // on both sides) refuses the copy at its frame, rather than the copy being taken without it.
    const id = MOVEMENT_COLUMNS.indexOf('id');
    const quantity = MOVEMENT_COLUMNS.indexOf('quantity');
    const [from, to] = [MOVEMENT_COLUMNS.indexOf('from_location_id'), MOVEMENT_COLUMNS.indexOf('to_location_id')];
    const unwritable: ((columns: unknown[][]) => unknown[][])[] = [
      (columns) => columns.map((c, i) => (i === id ? c.map((v, r) => (r === 1 ? c[0] : v)) : c)),
      (columns) => columns.map((c, i) => (i === quantity ? c.map((v, r) => (r === 1 ? 0 : v)) : c)),
      (columns) => columns.map((c, i) => (i === from ? c.map((v, r) => (r === 1 ? (columns[to]![1] ?? c[1]) : v)) : i === to ? c.map((v, r) => (r === 1 ? (c[1] ?? columns[from]![1]) : v)) : c)),
    ];
    for (const change of unwritable) expect(await refusal(alter(lastEntity + 1, change), header, /movements the ledger does not take \(1 of/)).toBe(lastEntity + 2);
  });
});

describe.each(STORES)("a new station's ledger as its copy arrives (%s register)", (kind) => {
  it('takes the movements straight into the ledger, and has its guard on tracked articles back once the copy is in', async () => {
    const reg = await tinyRegister(kind, { copyPage: 20 });
    const s = await newStation(reg, reg.server.url);
    const { header, frames } = await decodedCopy(s.store, '');
    expect(frames.filter((f) => f.k === 'm').length).toBeGreaterThan(1);
    // The ledger's many-row insert as the copy writes it: a temporary table in its plan means every
    // row is written twice (SQLite stages an insert there while the table has a row trigger).
    const row = `(${MOVEMENT_COLUMNS.map(() => 'null').join(', ')})`;
    const staged = () =>
      (s.store.sqlite.prepare(`explain insert or ignore into movements (${MOVEMENT_COLUMNS.join(', ')}) values ${row}, ${row}`).all() as { opcode: string }[]).filter(
        (o) => o.opcode === 'OpenEphemeral',
      ).length;
    const stagedWhileArriving: number[] = [];
    const arriving = async function* () {
      for (const f of frames) {
        yield f;
        stagedWhileArriving.push(staged());
      }
    };
    await applyStreamedColumnSnapshot(s.store, header, arriving());
    expect(stagedWhileArriving).toEqual(frames.map(() => 0));
    // Once the copy is in, the ledger refuses a tracked article moving without its device, as before it.
    const tracked = s.store.sqlite.prepare('select id from articles where rentable = 1 limit 1').pluck().get() as string;
    const place = s.store.sqlite.prepare('select id from locations limit 1').pluck().get() as string;
    const sample = s.store.sqlite.prepare('select * from movements limit 1').get() as Record<string, unknown>;
    // A movement of the copy's station and user, changed into the tracked article coming in without its device.
    const unguarded: Record<string, unknown> = {
      ...sample,
      id: '0190e0e0-0000-7000-8000-0000000000aa',
      seq: 999_999,
      article_id: tracked,
      individual_id: null,
      lot: null,
      from_location_id: null,
      to_location_id: place,
      quantity: 1,
      order_ref: null,
      reverses: null,
    };
    const before = count(s.store, 'movements');
    expect(() =>
      s.store.sqlite
        .prepare(`insert into movements (${MOVEMENT_COLUMNS.join(', ')}) values (${MOVEMENT_COLUMNS.map(() => '?').join(', ')})`)
        .run(MOVEMENT_COLUMNS.map((c) => unguarded[c])),
    ).toThrow(/individually tracked article moves only with its individual/);
    expect(count(s.store, 'movements')).toBe(before);
    expect(staged()).toBe(1);
  });
});

describe('the frames of a copy as they arrive', () => {
  const frame = (rows: number, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(rows, 4);
    return Buffer.concat([head, body]);
  };
  const bodies = [Buffer.from('header'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('last')];
  const all = Buffer.concat(bodies.map((b, i) => frame(i, b)));
  const inPieces = (bytes: Buffer, size: number) => Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  })());
  const read = async (source: Readable) => {
    const out: { rows: number; body: Buffer }[] = [];
    for await (const f of arrivingFrameBodies(source)) out.push(f);
    return out;
  };

  it('come whole however the bytes are cut into pieces', async () => {
    for (const size of [1, 3, 8, 9, 4096, all.length]) {
      const frames = await read(inPieces(all, size));
      expect(frames.map((f) => f.rows)).toEqual([0, 1, 2, 3]);
      expect(frames.map((f) => Buffer.from(f.body))).toEqual(bodies);
    }
  });

  it('refuse a copy that ends inside a frame, and a frame too large, before gathering it', async () => {
    await expect(read(inPieces(all.subarray(0, all.length - 2), 1000))).rejects.toThrow(/cut off inside a frame/);
    await expect(read(inPieces(all.subarray(0, all.length - 14), 1000))).rejects.toThrow(/cut off inside a frame/);
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    let pulled = 0;
    const endless = Readable.from((function* () {
      yield huge;
      for (;;) {
        pulled++;
        yield Buffer.alloc(1 << 16);
      }
    })());
    await expect(read(endless)).rejects.toThrow(/larger than/);
    expect(pulled).toBeLessThan(2);
  });
});
