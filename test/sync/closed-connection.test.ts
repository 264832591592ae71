/**
 * A connection the register closes while the station holds it open and idle (its keep-alive ran
 * out while the station was busy, saving its first copy, say) fails the next request sent on it.
 * The station sends that request once more on a new connection, instead of telling its user the
 * register cannot be reached, and every movement still arrives exactly once.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { syncLink } from '../../db/sync/link';
import { enrolledStation, movableStock, stationStock, heldStock, STORES, tinyRegister } from './harness';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A relay that keeps connections open and, while `closing`, closes one when a second request arrives on it, without an answer. */
async function closingRelay(port: number) {
  const relay = { url: '', closing: false, closed: 0 };
  const served = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (relay.closing && n > 1) {
      relay.closed++;
      req.socket.destroy();
      return;
    }
    const up = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (r: IncomingMessage) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

describe.each(STORES)('a connection the register closed while it lay idle (%s register)', (kind) => {
  it('costs the station nothing: the request goes once more on a new one, and its stock arrives once', async () => {
    const reg = await tinyRegister(kind);
    closers.push(() => reg.stop());
    const relay = await closingRelay(reg.server.port);
    const s = await enrolledStation(reg.register, relay.url, { start: false });
    relay.closing = true;
    const bulk = movableStock(s.store)[0]!;
    for (let round = 0; round < 3; round++) {
      s.post([{ articleId: bulk.articleId, lot: bulk.lot, fromLocationId: null, toLocationId: bulk.locationId, quantity: 1, reason: 'receipt' }]);
      await s.engine.syncNow();
      expect(syncLink(s.store)!.lastError).toBeNull();
      expect(s.engine.status().online).toBe(true);
    }
    // Connections were closed under the station's requests, and nothing came twice or went missing.
    expect(relay.closed).toBeGreaterThan(0);
    const stock = await reg.register.stock();
    expect(stock.get(`${bulk.articleId}|${bulk.locationId}|${bulk.lot ?? ''}`)).toBe(bulk.quantity + 3);
    expect(stationStock(s.store)).toEqual(heldStock(s.store, stock));
  }, 60_000);
});
