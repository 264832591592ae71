/**
 * A full copy is read as it is sent, at the pace of the station's line. While one is under way the
 * register goes on answering every other station; copies take their turn, a few at a time, so new
 * stations enrolled together never leave the others waiting; and a station that stops reading its
 * copy without closing its connection loses it after a while instead of holding its read for ever.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { drainedOrGone } from '../../register/http';
import type { SnapshotHeader } from '../../db/sync/wire';
import { enrolledStation, movableStock, STORES, tinyRegister } from '../sync/harness';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A copy read straight from the register whose reading stops at its first batch until `go` is called. */
function heldCopy(read: (sink: { header(h: SnapshotHeader): void; batch(): Promise<void> }) => Promise<SnapshotHeader>) {
  let go!: () => void;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const seen = { header: false, batches: 0 };
  let firstBatch!: () => void;
  const reading = new Promise<void>((resolve) => (firstBatch = resolve));
  const done = read({
    header: () => {
      seen.header = true;
    },
    async batch() {
      seen.batches++;
      firstBatch();
      await gate;
    },
  });
  return { go, seen, reading, done };
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
