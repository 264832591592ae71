import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Api } from '../../api/dispatch';
import { serveBrowserMode, type WebServer } from '../../hosts/web';
import type { StationDb } from '../../db/open';
import { signedIn, tempDir, tinyApi } from '../helpers';

let store: StationDb;
let api: Api;
let web: WebServer;

beforeAll(async () => {
  ({ store, api } = tinyApi());
  const rendererDir = tempDir();
  web = await serveBrowserMode({ api, rendererDir, port: 0 });
});
afterAll(async () => {
  await web.close();
  store.close();
});

function post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path: '/api/call', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: data }));
    });
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

describe('browser mode transport', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses calls without the launch token, from another host name, or from another origin', async () => {
    const call = { name: 'station.info', input: {} };
    expect((await post(call, {})).status).toBe(401);
    expect((await post(call, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(call, { authorization: `Bearer ${web.token}`, host: 'evil.example:80' })).status).toBe(403);
    expect((await post(call, { authorization: `Bearer ${web.token}`, origin: 'http://evil.example' })).status).toBe(403);
    const ok = await post(call, { authorization: `Bearer ${web.token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { name: 'Skanningsstation 1' } });
    expect((await post('{not json', { authorization: `Bearer ${web.token}` })).status).toBe(400);
  });

  it('pushes stock events over the WebSocket to a client with the token, and to no one else', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const bad = new WebSocket(`ws://127.0.0.1:${web.port}/api/events?token=wrong`);
        bad.on('open', () => reject(new Error('opened without the token')));
        bad.on('error', resolve);
      }),
    ).resolves.toBeTruthy();

    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events?token=${web.token}`);
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<unknown>((r) => ws.on('message', (m) => r(JSON.parse(String(m)))));
    const w = await signedIn(api, 'admin');
    const stock = store.sqlite
      .prepare(
        `select b.article_id as articleId, b.location_id as locationId from balances b join locations l on l.id = b.location_id join station s on s.site_id = l.site_id
         join articles a on a.id = b.article_id where a.rentable = 0 and a.tracking = 'none' and l.level = 'bin' and b.quantity >= 2 limit 1`,
      )
      .get() as { articleId: string; locationId: string };
    const bin = store.sqlite.prepare("select l.id from locations l join station s on s.site_id = l.site_id where l.level = 'bin' and l.id <> ? limit 1").get(stock.locationId) as { id: string };
    const article = { id: stock.articleId };
    const res = await post(
      { name: 'stock.post', input: { movements: [{ articleId: article.id, fromLocationId: stock.locationId, toLocationId: bin.id, quantity: 2, reason: 'move' }] }, session: w.session },
      { authorization: `Bearer ${web.token}` },
    );
    expect(JSON.parse(res.body)).toMatchObject({ ok: true });
    expect(await got).toEqual({ type: 'stock.changed', articleIds: [article.id], movementCount: 1 });
    ws.close();
  });
});
