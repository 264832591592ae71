/** The audit trail is append-only in the database and chained by hashes, so an edit in the file itself is found. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, KEYED_SCHEMA, verifyAuditChain } from '../../db/audit';
import { openStationDb } from '../../db/open';
import { tinyStore } from '../helpers';

describe('the audit chain', () => {
  it('links every entry to the one before, and finds an entry edited or removed behind the database’s back', () => {
    const store = tinyStore();
    const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    for (let i = 0; i < 20; i++) audit(store, { stationId: st, userId: null, action: 'test.step', entity: 'thing', entityId: `t${i}`, detail: { n: i } });
    const clean = verifyAuditChain(store);
    expect(clean).toMatchObject({ ok: true, brokenAt: null });
    expect(clean.entries).toBeGreaterThanOrEqual(20);

    // The database refuses changes outright.
    expect(() => store.sqlite.prepare("update audit_log set detail = '{\"n\":99}' where entity_id = 't7'").run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare("delete from audit_log where entity_id = 't7'").run()).toThrow(/append-only/);

    // Someone with the file drops the guards and edits an entry: the chain breaks exactly there.
    const triggers = store.sqlite.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
    for (const t of triggers) store.sqlite.exec(`drop trigger ${t.name}`);
    const t7 = store.sqlite.prepare("select id from audit_log where entity_id = 't7'").get() as { id: string };
    store.sqlite.prepare("update audit_log set detail = '{\"n\":99}' where id = ?").run(t7.id);
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: { id: t7.id, action: 'test.step' } });
    store.sqlite.prepare("update audit_log set detail = '{\"n\":7}' where id = ?").run(t7.id);
    expect(verifyAuditChain(store).ok).toBe(true);

    // Removing an entry breaks the link of the next one.
    const t8 = store.sqlite.prepare("select id from audit_log where entity_id = 't8'").get() as { id: string };
    store.sqlite.prepare('delete from audit_log where id = ?').run(t7.id);
    expect(verifyAuditChain(store).brokenAt?.id).toBe(t8.id);
    store.close();
  });

  it('accepts the entries from before the chain began, but not an unsealed one after it', () => {
    const store = tinyStore();
    const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    const old = "insert into audit_log (id, at, station_id, user_id, action, entity, entity_id, detail, hash) values (?, ?, ?, null, 'old', 'thing', null, null, null)";
    const before = verifyAuditChain(store).entries;
    if (before === 0) {
      store.sqlite.prepare(old).run('a-old-1', 1, st);
      store.sqlite.prepare(old).run('a-old-2', 2, st);
    }
    audit(store, { stationId: st, userId: null, action: 'sealed', entity: 'thing' });
    const v = verifyAuditChain(store);
    expect(v.ok).toBe(true);
    store.sqlite.prepare(old).run('a-slipped-in', 3, st);
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: { id: 'a-slipped-in' } });
    store.close();
  });

  it('takes a trail from before the chain was keyed: its unkeyed links stand, one keyed entry closes them, and none may follow', () => {
    const store = tinyStore();
    const dataDir = join(store.file, '..');
    const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    for (let i = 0; i < 5; i++) audit(store, { stationId: st, userId: null, action: 'test.step', entity: 'thing', entityId: `t${i}` });
    // As an older station wrote it: every link an unkeyed SHA-256.
    store.sqlite.exec('drop trigger audit_log_append_only_update');
    let prev = 'depot-station-audit';
    for (const r of store.sqlite.prepare('select rowid as seq, * from audit_log order by rowid').all() as Record<string, string | number | null>[]) {
      const hash = createHash('sha256').update(JSON.stringify([prev, r.id, r.at, r.station_id, r.user_id, r.action, r.entity, r.entity_id, r.detail])).digest('hex');
      store.sqlite.prepare('update audit_log set hash = ? where rowid = ?').run(hash, r.seq);
      prev = hash;
    }
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, reason: 'unkeyed' });
    // A database of the schema before keyed links.
    store.sqlite.pragma(`user_version = ${KEYED_SCHEMA - 1}`);
    store.close();

    // The first start of this version closes the older part with one keyed entry.
    const again = openStationDb({ dataDir, quickCheck: 'skip' });
    expect(again.sqlite.prepare("select count(*) as n from audit_log where action = 'audit.chain_keyed'").get()).toEqual({ n: 1 });
    expect(verifyAuditChain(again)).toMatchObject({ ok: true });
    audit(again, { stationId: st, userId: null, action: 'after', entity: 'thing' });
    expect(verifyAuditChain(again).ok).toBe(true);
    again.close();
    // Once is enough.
    const third = openStationDb({ dataDir, quickCheck: 'skip' });
    expect(third.sqlite.prepare("select count(*) as n from audit_log where action = 'audit.chain_keyed'").get()).toEqual({ n: 1 });

    // An unkeyed link after a keyed one is a break.
    const last = third.sqlite.prepare('select rowid as seq, * from audit_log order by rowid desc limit 2').all() as Record<string, string | number | null>[];
    const forged = createHash('sha256').update(JSON.stringify([last[1]!.hash, last[0]!.id, last[0]!.at, last[0]!.station_id, last[0]!.user_id, last[0]!.action, last[0]!.entity, last[0]!.entity_id, last[0]!.detail])).digest('hex');
    third.sqlite.prepare('update audit_log set hash = ? where rowid = ?').run(forged, last[0]!.seq);
    expect(verifyAuditChain(third)).toMatchObject({ ok: false, reason: 'altered' });
    third.close();
  });

  it('hashes what is stored: text that is not well-formed is chained as SQLite keeps it', () => {
    const store = tinyStore();
    const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    audit(store, { stationId: st, userId: 'x\ud800y', action: 'sign_in_failed', entity: 'user', entityId: 'x\udc00', detail: { note: 'a\ud800' } });
    audit(store, { stationId: st, userId: null, action: 'after', entity: 'thing' });
    expect(verifyAuditChain(store)).toMatchObject({ ok: true });
    store.close();
  });
});
