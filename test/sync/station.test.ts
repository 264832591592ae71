/**
 * A new station started with `--register … --enrol …`: no demo data, its first sync fills it
 * (with progress), it works offline, and it shows a supervisor what the register flagged.
 */
import { describe, expect, it } from 'vitest';
import { startStation } from '../../hosts/station';
import type { StationEvent } from '../../services/events';
import type { SyncStatus } from '../../services/sync';
import { signedIn, tempDir } from '../helpers';
import { movableStock, tinyRegister } from './harness';

describe('a station enrolled with the register', () => {
  it('fills itself from the register, posts offline, catches up, and shows a supervisor rejected entries', async () => {
    const reg = await tinyRegister('sqlite');
    const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
    const code = await reg.register.createEnrolmentCode({ stationName: 'Skanningsstation 7', siteId: site!.id });
    const station = startStation({ dataDir: tempDir('enrolled-'), devices: false, quickCheck: 'skip', enrol: { registerUrl: reg.server.url, code } });
    const statuses: SyncStatus[] = [];
    station.api.events.subscribe((e: StationEvent) => e.type === 'sync.status' && statuses.push(e.status));
    try {
      expect(station.seeded).toBe(false);
      await expect.poll(async () => ((await station.api.call({ name: 'station.info', input: {} })) as { value: { setUp: boolean } }).value.setUp, { timeout: 20_000 }).toBe(true);
      const info = (await station.api.call({ name: 'station.info', input: {} })) as { value: { name: string } };
      expect(info.value.name).toBe('Skanningsstation 7');
      // A new station saves its copy as it arrives, then finishes it.
      expect(statuses.some((s) => s.progress?.phase === 'finish')).toBe(true);

      // Users and their PINs came from the register.
      const worker = await signedIn(station.api, 'warehouse_worker');
      const admin = await signedIn(station.api, 'admin');
      const stock = movableStock(station.store, site!.id)[0]!;
      const to = (station.store.sqlite.prepare("select id from locations where site_id = ? and level = 'bin' and id <> ? and retired_at is null order by code limit 1").get(site!.id, stock.locationId) as { id: string }).id;
      await reg.stop(); // the network goes away
      const posted = await admin.call('stock.post', { movements: [{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, toLocationId: to, quantity: 1, reason: 'move' }] });
      expect(posted.ok).toBe(true);
      const offline = (await worker.call('sync.now', {})) as { ok: true; value: SyncStatus };
      expect(offline.value).toMatchObject({ online: false, waiting: 1, waitingMovements: 1 });
      expect(offline.value.lastError?.sv).toMatch(/arbetar vidare/);

      await reg.restart();
      await reg.register.deleteEntity('article', stock.articleId);
      const back = (await worker.call('sync.now', {})) as { ok: true; value: SyncStatus };
      expect(back.value).toMatchObject({ online: true, waiting: 0, rejected: 1, lastError: null });

      expect((await worker.call('sync.issues', {})).ok).toBe(false);
      const boss = await signedIn(station.api, 'supervisor');
      const issues = (await boss.call('sync.issues', {})) as { ok: true; value: { id: string; kind: string; message: { sv: string } }[] };
      expect(issues.value).toHaveLength(1);
      expect(issues.value[0]!.message.sv).toMatch(/avvisade post 1 \(1 rörelse\): Artikeln finns inte längre/);
      expect((await boss.call('sync.resolveIssue', { id: issues.value[0]!.id })).ok).toBe(true);
      expect(((await boss.call('sync.status', {})) as { value: SyncStatus }).value.rejected).toBe(0);
    } finally {
      await station.close();
    }
  });

  it('says what to do when the enrolment code is wrong, and loads no demo data', async () => {
    const reg = await tinyRegister('sqlite');
    const station = startStation({ dataDir: tempDir('enrolled-'), devices: false, quickCheck: 'skip', enrol: { registerUrl: reg.server.url, code: 'NOPE-NOPE' } });
    try {
      await expect.poll(async () => ((await station.api.call({ name: 'sync.status', input: {} })) as { value: SyncStatus }).value.lastError?.sv ?? '', { timeout: 10_000 }).toMatch(/ny kod/);
      const users = await station.api.call({ name: 'auth.users', input: {} });
      expect(users).toMatchObject({ ok: false, error: { code: 'station.setting_up' } });
    } finally {
      await station.close();
    }
  });
});
