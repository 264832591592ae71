/** Nightly online backups, the seven newest kept, and a restore that checks the copy before it replaces anything. */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../db/audit';
import { backupDir, backupDue, backupNow, checkBackup, lastBackupAt, listBackups, restoreBackup } from '../../db/backup';
import { openSqlite } from '../../db/cipher';
import { stationKey } from '../../db/key';
import { DB_FILE_NAME, openStationDb } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';
import { tinyStore } from '../helpers';

describe('backups', () => {
  it('copies the database online, keeps the seven newest, and knows when the next one is due', async () => {
    const store = tinyStore();
    const dir = backupDir(store);
    const day = 86_400_000;
    const start = new Date('2026-11-01T02:30:00').getTime();
    for (let i = 0; i < 9; i++) await backupNow(store, start + i * day);
    const kept = listBackups(dir);
    expect(kept).toHaveLength(7);
    expect(lastBackupAt(dir)).toBe(start + 8 * day);
    expect(backupDue(dir, start + 8 * day + 3_600_000)).toBe(false); // made tonight already
    expect(backupDue(dir, start + 9 * day)).toBe(true); // past two o'clock the next night
    expect(checkBackup(kept[0]!, stationKey(join(store.file, '..'), { mayCreate: false }))).toMatchObject({ integrity: [], audit: { ok: true } });
    store.close();
  });

  it('restores a copy that opens and verifies, keeping the database it replaces; refuses a damaged one', async () => {
    const store = tinyStore();
    const dataDir = join(store.file, '..');
    const st = store.sqlite.prepare('select id from station').get() as { id: string };
    audit(store, { stationId: st.id, userId: null, action: 'before.backup', entity: 'test' });
    const copy = await backupNow(store);
    // Work goes on after the backup: a movement the restore will take away.
    const stock = store.sqlite.prepare('select article_id as a, location_id as l from balances where quantity > 1 limit 1').get() as { a: string; l: string };
    const user = (store.sqlite.prepare('select id from users limit 1').get() as { id: string }).id;
    const [m] = postMovements(store, { stationId: st.id, userId: user }, [{ articleId: stock.a, fromLocationId: stock.l, quantity: 1, reason: 'delivery' }], 'kiosk');
    store.close();

    const r = restoreBackup(dataDir, copy);
    expect(r.check.audit.ok).toBe(true);
    expect(existsSync(r.replaced!)).toBe(true);
    const back = openStationDb({ dataDir, quickCheck: 'blocking' });
    expect(back.sqlite.prepare('select count(*) as n from movements where id = ?').get(m!.id)).toEqual({ n: 0 });
    expect(back.sqlite.prepare("select count(*) as n from audit_log where action = 'before.backup'").get()).toEqual({ n: 1 });
    back.close();

    // A copy whose audit trail was altered is not restored, and nothing is replaced.
    const bad = join(dataDir, 'bad.sqlite');
    copyFileSync(copy, bad);
    const d = openSqlite(bad, stationKey(dataDir, { mayCreate: false }));
    d.exec('drop trigger audit_log_append_only_update');
    d.prepare("update audit_log set action = 'rewritten' where action = 'before.backup'").run();
    d.close();
    expect(() => restoreBackup(dataDir, bad)).toThrowError(expect.objectContaining({ code: 'backup.damaged' }));
    writeFileSync(join(dataDir, 'garbage.sqlite'), 'not a database at all');
    expect(() => restoreBackup(dataDir, join(dataDir, 'garbage.sqlite'))).toThrowError(expect.objectContaining({ code: 'backup.unreadable' }));
    // A copy of a station linked to the register is not restored: a new station fetches everything instead.
    const linkedStore = openStationDb({ dataDir, quickCheck: 'skip' });
    linkedStore.sqlite.prepare("insert into sync_state (singleton, register_url, token, cursor, acked) values (1, 'http://127.0.0.1:9', 't', 0, 0)").run();
    const linkedCopy = await backupNow(linkedStore);
    linkedStore.close();
    expect(() => restoreBackup(dataDir, linkedCopy)).toThrowError(expect.objectContaining({ code: 'backup.linked' }));
    const still = openStationDb({ dataDir, quickCheck: 'skip' });
    expect(still.file).toBe(join(dataDir, DB_FILE_NAME));
    still.close();
  });
});
