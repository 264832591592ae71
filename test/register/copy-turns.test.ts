/**
 * A full copy is read as it is sent, at the pace of the station's line. While one is under way the
 * register goes on answering every other station; copies take their turn, a few at a time, so new
 * stations enrolled together never leave the others waiting; and a station that stops reading its
 * copy without closing its connection loses it after a while instead of holding its read for ever.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { drainedOrGone, sendToStation, serveRegister } from '../../register/http';
import { readHeaderFrame, SNAPSHOT_COLUMNS_2_CONTENT_TYPE, type SnapshotBatch } from '../../db/sync/columns';
import { syncLink } from '../../db/sync/link';
import type { SnapshotHeader } from '../../db/sync/wire';
import { enrolledStation, movableStock, STORES, tinyRegister } from '../sync/harness';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A copy read straight from the register whose reading stops at its first batch until `go` is called. */
function heldCopy(read: (sink: { header(h: SnapshotHeader): void; batch(b: SnapshotBatch): Promise<void> }) => Promise<SnapshotHeader>) {
  let go!: () => void;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const seen = { header: false, batches: 0 };
  /** The stock the copy carries, as `Register.stock()` keys it. */
  const balances = new Map<string, number>();
  let firstBatch!: () => void;
  const reading = new Promise<void>((resolve) => (firstBatch = resolve));
  const done = read({
    header: () => {
      seen.header = true;
    },
    async batch(b) {
      seen.batches++;
      if (b.k === 'b') for (const [article, location, lot, quantity] of b.rows) balances.set(`${article}|${location}|${lot}`, quantity);
      firstBatch();
      await gate;
    },
  });
  return { go, seen, balances, reading, done };
}

describe.each(STORES)('a full copy under way (%s register)', (kind) => {
  it('leaves every other station answered: what one posts, another pulls, while the copy waits for its line', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40 });
    closers.push(() => reg.stop());
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { start: false });
    const copy = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await copy.reading;
    const bulk = movableStock(a.store)[0]!;
    a.post([{ articleId: bulk.articleId, lot: bulk.lot, fromLocationId: null, toLocationId: bulk.locationId, quantity: 2, reason: 'receipt' }]);
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(a.engine.status().lastError).toBeNull();
    expect(b.engine.status().lastError).toBeNull();
    const at = b.store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ? and lot = ?').get(bulk.articleId, bulk.locationId, bulk.lot ?? '') as { quantity: number };
    expect(at.quantity).toBe(bulk.quantity + 2);
    // The copy was read at one moment: let go, it is whole, without what was posted after it began.
    copy.go();
    const header = await copy.done;
    expect(header.counts.movements).toBeGreaterThan(0);
    expect(copy.balances.get(`${bulk.articleId}|${bulk.locationId}|${bulk.lot ?? ''}`)).toBe(bulk.quantity);
  }, 60_000);

  it('takes its turn: with one copy at a time the next waits, holding nothing, and comes whole when the first is done', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40, copiesAtOnce: 1 });
    closers.push(() => reg.stop());
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const first = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await first.reading;
    const second = heldCopy((sink) => reg.register.snapshotBatches(sink));
    // A whole round of a station at work goes through while the second copy waits its turn.
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    expect(second.seen).toEqual({ header: false, batches: 0 });
    first.go();
    await first.done;
    await second.reading;
    expect(second.seen.header).toBe(true);
    second.go();
    expect((await second.done).counts).toEqual((await first.done).counts);
  }, 60_000);

  it('lets a copy whose station went away while it waited leave the line without reading, and the next take its place', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40, copiesAtOnce: 1 });
    closers.push(() => reg.stop());
    const first = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await first.reading;
    const away = new AbortController();
    const left = heldCopy((sink) => reg.register.snapshotBatches(sink, null, false, false, away.signal));
    const next = heldCopy((sink) => reg.register.snapshotBatches(sink));
    away.abort(new Error('the station stopped reading its copy'));
    await expect(left.done).rejects.toThrow(/stopped reading/);
    first.go();
    await next.reading;
    next.go();
    expect((await next.done).counts).toEqual((await first.done).counts);
    // The copy that left was never read.
    expect(left.seen).toEqual({ header: false, batches: 0 });
  }, 60_000);

  it("sends a station one copy at a time: asking again ends the one it asked for before, which leaves the line", async () => {
    // Copies read for the station, each in its turn (none given as made at its enrolment, which would not wait).
    const reg = await tinyRegister(kind, { copyPage: 40, copiesAtOnce: 1, madeCopyChanges: 0 });
    closers.push(() => reg.stop());
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const link = syncLink(station.store)!;
    const ask = () => fetch(`${link.registerUrl}/sync/snapshot`, { headers: { Authorization: `Bearer ${link.token}`, Accept: SNAPSHOT_COLUMNS_2_CONTENT_TYPE } });
    const line = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await line.reading;
    // Asked, answered at once, and waiting its turn behind the copy under way.
    const before = await ask();
    const again = await ask();
    const beforeBody = new Response(before.body).arrayBuffer();
    const againBody = new Response(again.body).arrayBuffer();
    await expect(beforeBody).rejects.toThrow();
    line.go();
    await line.done;
    // The copy asked for again comes whole, the one given up never began.
    const bytes = Buffer.from(await againBody);
    expect(readHeaderFrame(bytes.subarray(8, 8 + bytes.readUInt32BE(0))).counts).toEqual((await line.done).counts);
  }, 60_000);

  it('never starts a copy still waiting its turn once the register is closing', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40, copiesAtOnce: 1 });
    const first = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await first.reading;
    const waiting = heldCopy((sink) => reg.register.snapshotBatches(sink));
    await reg.server.close();
    const closing = reg.register.close();
    // The copy under way ends or finishes (SQLite ends it, PostgreSQL lets it finish); the one waiting never begins.
    first.go();
    await first.done.catch(() => undefined);
    await expect(waiting.done).rejects.toThrow();
    expect(waiting.seen).toEqual({ header: false, batches: 0 });
    await closing;
    await reg.stop();
  }, 60_000);
});

describe("a copy's answer the station stopped reading", () => {
  const full = () => {
    const out = new PassThrough();
    while (out.write(Buffer.alloc(16_384))) {
      // until it holds all it will
    }
    return out;
  };

  it('is ended once the station has read nothing for the while allowed, and its connection closed', async () => {
    const out = full();
    await expect(drainedOrGone(out, 50)).rejects.toThrow(/read nothing of its copy/);
    expect(out.destroyed).toBe(true);
  });

  it('reaches a station that reads slowly but steadily whole, however large the frame', async () => {
    // A line of 16 KiB at a time, slower than the while allowed for a whole frame of 1 MiB.
    const out = new PassThrough();
    let got = 0;
    const line = setInterval(() => {
      const piece = out.read(16_384) as Buffer | null;
      if (piece) got += piece.length;
    }, 10);
    try {
      await sendToStation(out, Buffer.alloc(1 << 20, 7), 300);
      expect(out.destroyed).toBe(false);
      while (got < 1 << 20) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(got).toBe(1 << 20);
    } finally {
      clearInterval(line);
    }
  });

  it('goes on as soon as the station reads again, and fails at once when the station is gone', async () => {
    const reading = full();
    const drained = drainedOrGone(reading, 60_000);
    reading.resume();
    await expect(drained).resolves.toBeUndefined();
    const gone = full();
    const closed = drainedOrGone(gone, 60_000);
    gone.destroy();
    await expect(closed).rejects.toThrow(/stopped reading/);
    await expect(drainedOrGone(gone, 60_000)).rejects.toThrow(/stopped reading/);
  });
});

describe('a station that stops reading its copy, over a real connection', () => {
  it("is hung up on once it has read nothing for the while allowed, and the turn it held goes to the next new station", async () => {
    // One copy at a time, each read for its station (none given as made).
    const reg = await tinyRegister('sqlite', { copiesAtOnce: 1, madeCopyChanges: 0 });
    closers.push(() => reg.stop());
    // Articles, devices and places carrying text that packs to no less (random; two fields of 90,000
    // characters each, below the longest text a copy carries), so the copy, some 27 MB, is far larger
    // than what the connection's buffers hold on both sides: the register has to wait on the station.
    const rows = await reg.register.db.all<{ kind: string; id: string }>("select kind, id from entities where kind in ('article', 'individual', 'location')");
    const noise = () => randomBytes(67_500).toString('base64');
    for (const r of rows)
      await reg.register.db.run("update entities set data = json_set(data, '$.note', $1, '$.more', $2) where kind = $3 and id = $4", [noise(), noise(), r.kind, r.id]);
    const articles = rows.filter((r) => r.kind === 'article');
    const server = await serveRegister(reg.register, { copyStallMs: 300 });
    closers.push(() => server.close());
    const first = await enrolledStation(reg.register, server.url, { start: false });
    closers.push(() => first.close());
    // The first station asks for a copy again, by hand, reads the answer until its copy has begun
    // (the copy holds the only turn), and then no more.
    const socket = connect(server.port, '127.0.0.1');
    closers.push(async () => void socket.destroy());
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const got: Buffer[] = [];
    await new Promise<void>((resolve) => {
      const upToTheCopy = (d: Buffer) => {
        got.push(d);
        const sofar = Buffer.concat(got);
        const head = sofar.indexOf('\r\n\r\n');
        if (head < 0 || sofar.length <= head + 4) return;
        socket.pause();
        socket.off('data', upToTheCopy);
        resolve();
      };
      socket.on('data', upToTheCopy);
      socket.write(`GET /sync/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${syncLink(first.store)!.token}\r\nAccept: ${SNAPSHOT_COLUMNS_2_CONTENT_TYPE}\r\n\r\n`);
    });
    // A second new station asks for its own copy meanwhile: it waits for the only turn, which the
    // stalled copy gives up once it is hung up on, and comes whole.
    const second = await enrolledStation(reg.register, server.url, { start: false });
    closers.push(() => second.close());
    expect(second.engine.status().lastError).toBeNull();
    expect(second.store.sqlite.prepare('select count(*) from articles').pluck().get()).toBe(articles.length);
    // Read at last, the stalled answer stops short: no closing chunk, the connection closed.
    socket.on('data', (d: Buffer) => got.push(d));
    socket.resume();
    await closed;
    const answer = Buffer.concat(got);
    expect(answer.subarray(0, 15).toString('latin1')).toBe('HTTP/1.1 200 OK');
    expect(answer.subarray(-5).toString('latin1')).not.toBe('0\r\n\r\n');
  }, 120_000);
});
