/**
 * The audit trail goes to the register: every entry once, in the station's order, checked link by
 * link as it arrives; an entry altered at the station before it was sent is marked there and
 * reported back to the station's supervisors, and one altered after is still held as it was.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { audit } from '../../db/audit';
import type { AuditTuple } from '../../db/sync/wire';
import { signedIn } from '../helpers';
import { enrolledStation, STORES, tinyRegister } from './harness';

interface Held {
  seq: number;
  id: string;
  action: string;
  entity_id: string | null;
  chain_ok: number;
}

describe.each(STORES)('the audit trail at the register on %s', (kind) => {
  it('arrives whole and once, and an entry altered at the station is found', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const step = (n: number) => audit(a.store, { stationId: a.stationId, userId: null, action: 'test.step', entity: 'test', entityId: String(n), detail: { n } });
    for (let n = 1; n <= 5; n++) step(n);
    await a.engine.syncNow();
    const held = async () =>
      (await reg.register.db.all<Held>('select seq, id, action, entity_id, chain_ok from audit_entries where station_id = $1 order by seq', [a.stationId])).map((h) => ({
        ...h,
        seq: Number(h.seq),
        chain_ok: Number(h.chain_ok),
      }));
    const local = a.store.sqlite.prepare('select rowid as seq, id from audit_log order by rowid').all() as { seq: number; id: string }[];
    expect(local.length).toBeGreaterThanOrEqual(5);
    expect((await held()).map((h) => ({ seq: h.seq, id: h.id }))).toEqual(local);
    expect((await held()).every((h) => h.chain_ok === 1)).toBe(true);

    // Sent again (an answer lost on the way): nothing is doubled.
    a.store.sqlite.prepare('update sync_state set audit_acked = 0').run();
    await a.engine.pushAudit();
    expect(await held()).toHaveLength(local.length);

    // Someone edits the file: one entry already at the register, one not yet sent.
    for (let n = 6; n <= 8; n++) step(n);
    a.store.sqlite.exec('drop trigger audit_log_append_only_update');
    a.store.sqlite.prepare("update audit_log set action = 'test.rewritten' where entity_id in ('2', '7')").run();
    const seven = (a.store.sqlite.prepare("select rowid as seq from audit_log where entity_id = '7'").get() as { seq: number }).seq;
    await a.engine.syncNow();
    const after = await held();
    expect(after.find((h) => h.entity_id === '2')).toMatchObject({ action: 'test.step', chain_ok: 1 });
    expect(after.filter((h) => h.chain_ok === 0).map((h) => h.seq)).toEqual([seven]);
    // The entries after the altered one still check against it.
    expect(after.find((h) => h.entity_id === '8')).toMatchObject({ chain_ok: 1 });

    // The register's copy is append-only too.
    await expect(reg.register.db.run("update audit_entries set action = 'x' where station_id = $1", [a.stationId])).rejects.toThrow(/never changed/);
    await expect(reg.register.db.run('delete from audit_entries where station_id = $1', [a.stationId])).rejects.toThrow(/never (changed or )?removed/);

    // The station's supervisors see it on the audit page.
    const api = createApi(a.store);
    const boss = await signedIn(api, 'supervisor');
    const verdict = await boss.call('audit.verify', {});
    expect(verdict).toMatchObject({ ok: true, value: { ok: false, register: { linked: true, brokenAt: seven } } });
    if (verdict.ok) {
      const v = verdict.value as { register: { held: number; waiting: number } };
      // The sign-in itself is a new entry, not sent yet.
      expect(v.register.held).toBe(after.length);
      expect(v.register.waiting).toBeGreaterThan(0);
    }
  });

  it('keeps the head of the trail: a trail shortened at the station shows at the register and on the station', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    for (let n = 1; n <= 30; n++) audit(a.store, { stationId: a.stationId, userId: null, action: 'test.step', entity: 'test', entityId: String(n) });
    await a.engine.syncNow();
    const api = createApi(a.store);
    const boss = await signedIn(api, 'supervisor');
    expect(await boss.call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });

    // Someone with the file removes the last twenty entries, already at the register.
    a.store.sqlite.exec('drop trigger audit_log_append_only_delete');
    const top = (a.store.sqlite.prepare('select max(rowid) as n from audit_log').get() as { n: number }).n;
    a.store.sqlite.prepare('delete from audit_log where rowid > ?').run(top - 20);
    expect(await boss.call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: false, reason: 'shortened' } });
    // The next sync sends the head, and the register says it holds more than the station has.
    await a.engine.syncNow();
    const v = await boss.call('audit.verify', {});
    expect(v).toMatchObject({ ok: true, value: { ok: false, register: { brokenAt: expect.any(Number) } } });

    // A push with another chain key is not this station's trail.
    const link = a.store.sqlite.prepare('select token from sync_state').get() as { token: string };
    const res = await fetch(`${reg.server.url}/sync/audit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entries: [], key: 'f'.repeat(64), head: null }),
    });
    expect(res.status).toBe(409);
  });

  it('keeps checking after entries without a hash, and a trail the register refuses says so in its words', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    for (let n = 1; n <= 3; n++) audit(a.store, { stationId: a.stationId, userId: null, action: 'test.step', entity: 'test', entityId: String(n) });
    await a.engine.syncNow();
    const token = (a.store.sqlite.prepare('select token from sync_state').get() as { token: string }).token;
    const station = (await reg.register.authenticate(token))!;
    const key = a.store.auditKey.toString('hex');
    const top = (a.store.sqlite.prepare('select max(rowid) as n from audit_log').get() as { n: number }).n;
    const bare = (seq: number): AuditTuple => [seq, `x-${seq}`, Date.now(), a.stationId, null, 'forged', 'test', null, null, null];
    // Two entries without a hash after keyed ones: both marked, and so is a third sent later.
    expect(await reg.register.receiveAudit(station, [bare(top + 1), bare(top + 2)], key)).toMatchObject({ broken: [top + 1, top + 2] });
    expect(await reg.register.receiveAudit(station, [bare(top + 3)], key)).toMatchObject({ broken: [top + 3] });

    // The register holds another chain key for the station: it refuses the trail, and the station shows why.
    await reg.register.db.run('update meta set value = $1 where key = $2', ['f'.repeat(64), `audit_key:${a.stationId}`]);
    await a.engine.syncNow();
    expect(a.engine.status()).toMatchObject({ online: true, lastError: { en: expect.stringMatching(/another key/) } });
  });
});
