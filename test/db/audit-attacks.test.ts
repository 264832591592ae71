/**
 * Three ways to rewrite the audit trail of a copy of a station's database, each refused on restore
 * and found by `audit.verify` on the station itself: every hash removed and an entry edited; the
 * last entries deleted; an entry edited and every later link recomputed without the station's key.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, KEYED_SCHEMA, verifyAuditChain } from '../../db/audit';
import { auditAnchors, backupDir, backupNow, headFile, listBackups, restoreBackup } from '../../db/backup';
import { openSqlite, type Sqlite } from '../../db/cipher';
import { stationKey } from '../../db/key';
import { openStationDb, type StationDb } from '../../db/open';
import { tinyStore } from '../helpers';

type Row = { seq: number; id: string; at: number; station_id: string; user_id: string | null; action: string; entity: string; entity_id: string | null; detail: string | null; hash: string | null };

/** A station with a trail of 80 entries and a backup of it. */
async function stationWithBackup(): Promise<{ store: StationDb; dataDir: string; copy: string }> {
  const store = tinyStore();
  const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
  for (let i = 0; i < 80; i++) audit(store, { stationId: st, userId: null, action: 'test.step', entity: 'thing', entityId: `t${i}`, detail: { n: i } });
  return { store, dataDir: join(store.file, '..'), copy: await backupNow(store) };
}

/** A copy of the backup (and the head beside it), opened with the guards of the trail dropped, as someone with the file would. */
function tamperWith(dataDir: string, copy: string, name: string, edit: (db: Sqlite) => void): string {
  const file = join(dataDir, `${name}.sqlite`);
  copyFileSync(copy, file);
  copyFileSync(headFile(copy), headFile(file));
  const db = openSqlite(file, stationKey(dataDir, { mayCreate: false }));
  for (const t of db.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string }[]) db.exec(`drop trigger ${t.name}`);
  edit(db);
  db.close();
  return file;
}

const rows = (db: Sqlite) => db.prepare('select rowid as seq, * from audit_log order by rowid').all() as Row[];

/** The whole trail re-linked from `from` on with an unkeyed SHA-256, the way the chain once was. */
function rechainWithoutKey(db: Sqlite, from: number): void {
  const all = rows(db);
  let prev = all.find((r) => r.seq === from - 1)?.hash ?? 'depot-station-audit';
  for (const r of all.filter((x) => x.seq >= from)) {
    const hash = createHash('sha256').update(JSON.stringify([prev, r.id, r.at, r.station_id, r.user_id, r.action, r.entity, r.entity_id, r.detail])).digest('hex');
    db.prepare('update audit_log set hash = ? where rowid = ?').run(hash, r.seq);
    prev = hash;
  }
}

describe('a rewritten audit trail', () => {
  it('every hash removed plus an edit: refused on restore, and found on the station', async () => {
    const { store, dataDir, copy } = await stationWithBackup();
    const file = tamperWith(dataDir, copy, 'nulled', (db) => {
      db.exec('update audit_log set hash = null');
      db.exec("update audit_log set detail = '{\"n\":999}' where entity_id = 't40'");
    });
    expect(() => restoreBackup(dataDir, file)).toThrowError(expect.objectContaining({ code: 'backup.damaged' }));

    // The same on the running station's own file.
    for (const t of store.sqlite.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string }[]) store.sqlite.exec(`drop trigger ${t.name}`);
    store.sqlite.exec('update audit_log set hash = null');
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, reason: 'unkeyed' });
    expect(verifyAuditChain(store, auditAnchors(store))).toMatchObject({ ok: false });
    // A restart does not close the rewritten trail as if it were an older one, and the next
    // backup anchors nothing away: the older backups' heads still show it.
    store.close();
    const again = openStationDb({ dataDir, quickCheck: 'skip' });
    expect(verifyAuditChain(again)).toMatchObject({ ok: false, reason: 'unkeyed' });
    await backupNow(again, Date.now() + 60_000);
    expect(verifyAuditChain(again, auditAnchors(again))).toMatchObject({ ok: false });
    again.close();
  });

  it('the last 50 entries deleted: the head beside the backup and the register’s head show it', async () => {
    const { store, dataDir, copy } = await stationWithBackup();
    const file = tamperWith(dataDir, copy, 'shortened', (db) => {
      const top = (db.prepare('select max(rowid) as n from audit_log').get() as { n: number }).n;
      db.prepare('delete from audit_log where rowid > ?').run(top - 50);
    });
    expect(() => restoreBackup(dataDir, file)).toThrowError(expect.objectContaining({ code: 'backup.damaged' }));

    // The head file cannot simply be removed or rewritten either.
    const headless = tamperWith(dataDir, copy, 'headless', (db) => {
      const top = (db.prepare('select max(rowid) as n from audit_log').get() as { n: number }).n;
      db.prepare('delete from audit_log where rowid > ?').run(top - 50);
    });
    rmSync(headFile(headless));
    expect(() => restoreBackup(dataDir, headless)).toThrowError(expect.objectContaining({ code: 'backup.no_head' }));
    writeFileSync(headFile(headless), JSON.stringify({ seq: 3, hash: 'a'.repeat(64), seal: 'b'.repeat(64) }));
    expect(() => restoreBackup(dataDir, headless)).toThrowError(expect.objectContaining({ code: 'backup.no_head' }));

    // On the station: the newest backup's head is no longer in the trail.
    for (const t of store.sqlite.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string }[]) store.sqlite.exec(`drop trigger ${t.name}`);
    const top = (store.sqlite.prepare('select max(rowid) as n from audit_log').get() as { n: number }).n;
    expect(verifyAuditChain(store, auditAnchors(store)).ok).toBe(true);
    store.sqlite.prepare('delete from audit_log where rowid > ?').run(top - 50);
    // Every link left still checks; only the anchored head shows what is missing.
    expect(verifyAuditChain(store).ok).toBe(true);
    expect(verifyAuditChain(store, auditAnchors(store))).toMatchObject({ ok: false, reason: 'shortened' });
    store.close();
  });

  it('an entry edited and every later link recomputed without the key', async () => {
    const { store, dataDir, copy } = await stationWithBackup();
    const edited = (db: Sqlite) => {
      db.exec("update audit_log set detail = '{\"n\":999}' where entity_id = 't40'");
      return (db.prepare("select rowid as seq from audit_log where entity_id = 't40'").get() as { seq: number }).seq;
    };
    const file = tamperWith(dataDir, copy, 'rechained', (db) => rechainWithoutKey(db, edited(db)));
    expect(() => restoreBackup(dataDir, file)).toThrowError(expect.objectContaining({ code: 'backup.damaged' }));

    // Even the whole trail re-linked from the start without the key does not check.
    const whole = tamperWith(dataDir, copy, 'rechained-whole', (db) => {
      edited(db);
      rechainWithoutKey(db, 1);
    });
    expect(() => restoreBackup(dataDir, whole)).toThrowError(expect.objectContaining({ code: 'backup.damaged' }));
    const db = openSqlite(whole, stationKey(dataDir, { mayCreate: false }));
    expect(verifyAuditChain({ sqlite: db, auditKey: store.auditKey })).toMatchObject({ ok: false, reason: 'unkeyed' });
    db.close();

    // The untouched backup still restores.
    store.close();
    expect(restoreBackup(dataDir, copy).check.audit.ok).toBe(true);
    openStationDb({ dataDir, quickCheck: 'skip' }).close();
  });

  it('a restore of an older backup sets the later backups aside, so their heads do not read as a shortened trail', async () => {
    const { store, dataDir, copy } = await stationWithBackup();
    const st = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    for (let i = 0; i < 10; i++) audit(store, { stationId: st, userId: null, action: 'later', entity: 'thing' });
    const later = await backupNow(store, Date.now() + 60_000);
    store.close();
    restoreBackup(dataDir, copy);
    const back = openStationDb({ dataDir, quickCheck: 'skip' });
    for (let i = 0; i < 30; i++) audit(back, { stationId: st, userId: null, action: 'after.restore', entity: 'thing' });
    expect(verifyAuditChain(back, auditAnchors(back))).toMatchObject({ ok: true });
    expect(listBackups(backupDir(back))).toEqual([copy]);
    const aside = readdirSync(backupDir(back)).filter((f) => f.startsWith('after-restore-'));
    expect(aside).toHaveLength(1);
    expect(readdirSync(join(backupDir(back), aside[0]!)).sort()).toEqual([basename(later), basename(headFile(later))].sort());
    back.close();
  });

  it('restores a backup made before keyed links, and its first start closes its trail', async () => {
    const { store, dataDir, copy } = await stationWithBackup();
    store.close();
    const old = tamperWith(dataDir, copy, 'depot-older', (db) => {
      rechainWithoutKey(db, 1);
      db.pragma(`user_version = ${KEYED_SCHEMA - 1}`);
    });
    rmSync(headFile(old));
    const r = restoreBackup(dataDir, old);
    expect(r.check.olderTrail).toBe(true);
    const back = openStationDb({ dataDir, quickCheck: 'skip' });
    expect(verifyAuditChain(back)).toMatchObject({ ok: true });
    expect(back.sqlite.prepare("select count(*) as n from audit_log where action = 'audit.chain_keyed'").get()).toEqual({ n: 1 });
    back.close();
  });
});
