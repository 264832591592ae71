/** The audit trail is append-only in the database and chained by hashes, so an edit in the file itself is found. */
import { describe, expect, it } from 'vitest';
import { audit, verifyAuditChain } from '../../db/audit';
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
});
