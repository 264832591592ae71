import { readMigrationFiles } from 'drizzle-orm/migrator';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, openStationDb } from '../../db/open';
import { resolveDataDir } from '../../db/paths';
import { rawStation, tempDir } from '../helpers';

const known = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder() }).length;

describe('database start-up', () => {
  it('migrates an empty folder to the current schema with the station pragmas', () => {
    const dir = tempDir();
    const store = openStationDb({ dataDir: dir });
    const s = store.sqlite;
    const tables = (s.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['sites', 'locations', 'articles', 'article_gtins', 'individuals', 'users', 'movements', 'balances', 'audit_log', 'outbox', 'station', 'iso_codes'])
      expect(tables).toContain(t);
    const triggers = (s.prepare("select name from sqlite_master where type = 'trigger'").all() as { name: string }[]).map((r) => r.name);
    expect(triggers).toEqual(expect.arrayContaining(['movements_balance_from', 'movements_balance_to', 'movements_append_only_update', 'audit_log_append_only_delete']));
    expect(s.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(s.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.pragma('user_version', { simple: true })).toBe(known);
    store.close();
    // Opening again applies nothing twice.
    const again = openStationDb({ dataDir: dir });
    expect((again.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(known);
    again.close();
  });

  it('refuses a database written by a newer app and leaves it untouched', () => {
    const dir = tempDir();
    openStationDb({ dataDir: dir }).close();
    const raw = rawStation(dir);
    raw.pragma(`user_version = ${known + 1}`);
    raw.close();
    expect(() => openStationDb({ dataDir: dir })).toThrowError(
      expect.objectContaining({ code: 'db.newer_than_app', userMessage: expect.objectContaining({ sv: expect.stringContaining('nyare version') }) }),
    );
    const after = rawStation(dir, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(known + 1);
    after.close();
  });

  it('refuses a database that has a migration this app does not know', () => {
    const dir = tempDir();
    openStationDb({ dataDir: dir }).close();
    const raw = rawStation(dir);
    raw.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('future', Date.now() + 10 * 365 * 86_400_000);
    raw.close();
    expect(() => openStationDb({ dataDir: dir })).toThrowError(expect.objectContaining({ code: 'db.newer_than_app' }));
  });

  it('checkpoints the write-ahead log into the database file on close', () => {
    const dir = tempDir();
    const store = openStationDb({ dataDir: dir });
    store.sqlite.prepare("insert into iso_codes (code, edition, title) values ('122203', 'x', 'y')").run();
    store.close();
    const raw = rawStation(dir, { readonly: true });
    expect(raw.prepare("select title from iso_codes where code = '122203'").get()).toEqual({ title: 'y' });
    raw.close();
  });

  it('takes the data dir from --data-dir, then DEPOT_DATA_DIR, then the platform default', () => {
    expect(resolveDataDir(['--data-dir', '/a'], { DEPOT_DATA_DIR: '/b' })).toBe('/a');
    expect(resolveDataDir(['--data-dir=/c'], {})).toBe('/c');
    expect(resolveDataDir([], { DEPOT_DATA_DIR: '/b' })).toBe('/b');
    if (process.platform === 'linux') {
      expect(resolveDataDir([], { XDG_CONFIG_HOME: '/x' })).toBe('/x/Depot Station');
      // An empty variable counts as unset: never a folder relative to wherever the app was started.
      expect(resolveDataDir([], { XDG_CONFIG_HOME: '', DEPOT_DATA_DIR: '' })).toBe(join(homedir(), '.config', 'Depot Station'));
    }
  });
});

describe('upgrading a station database', () => {
  it('keeps every row when a later migration rebuilds a table', async () => {
    const { cpSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const full = defaultMigrationsFolder();
    const journal = JSON.parse(readFileSync(join(full, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    // The database as the first release left it: only the first four migrations.
    const old = tempDir();
    mkdirSync(join(old, 'meta'));
    const first = journal.entries.slice(0, 4);
    for (const e of first) cpSync(join(full, `${e.tag}.sql`), join(old, `${e.tag}.sql`));
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: first }));
    const dir = tempDir();
    const v1 = openStationDb({ dataDir: dir, migrationsFolder: old, quickCheck: 'skip' });
    v1.sqlite.exec(`
      insert into sites (id, code, name, kind, municipality) values ('s', 'BOD', 'Boden', 'central_store', 'Boden');
      insert into locations (id, site_id, parent_id, code, name, level, kind) values ('l', 's', null, 'BOD-A', 'Godsmottagning', 'zone', 'goods_in');
      insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking)
        values ('a', 'A100001', 'Rollator', 'rollator', '120606', 'x', 1, 'st', 'S', 300000, 'none');
      insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking)
        values ('b', 'A100002', 'Handske', 'handske', '098403', 'x', 0, 'st', 'S', 100, 'none');
      insert into users (id, name, role, pin_hash, site_id, active) values ('u', 'U', 'warehouse_worker', 'x', 's', 1);
      insert into individuals (id, individual_number, article_id, status, site_id, location_id, updated_at) values ('i', 'I0000001', 'a', 'in_stock', 's', 'l', 1);
      insert into movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, to_location_id, quantity, reason)
        values ('m', 'st', 1, 'u', 1, 1, 'a', 'i', 'l', 1, 'receipt');`);
    v1.close();

    const now = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    expect(now.sqlite.prepare('select individual_number as n, status, location_id as l from individuals').all()).toEqual([{ n: 'I0000001', status: 'in_stock', l: 'l' }]);
    expect(now.sqlite.prepare('select quantity from balances').all()).toEqual([{ quantity: 1 }]);
    // The balances table is rebuilt (WITHOUT ROWID) and its triggers remade: postings still keep it, and an emptied place leaves no row.
    const post = now.sqlite.prepare(
      "insert into movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, from_location_id, to_location_id, quantity, reason) values (?, 'st', ?, 'u', 2, 2, ?, ?, ?, ?, ?)",
    );
    // The rollator is tracked one by one: the upgraded database refuses it without its individual.
    expect(() => post.run('m1', 9, 'a', 'l', null, 1, 'delivery')).toThrow(/individually tracked/);
    const gloves = () => now.sqlite.prepare("select quantity from balances where article_id = 'b'").all();
    post.run('m2', 2, 'b', null, 'l', 5, 'receipt');
    expect(gloves()).toEqual([{ quantity: 5 }]);
    post.run('m3', 3, 'b', 'l', null, 5, 'count_adjustment');
    expect(gloves()).toEqual([]);
    // Two stations offline took the same last one: below zero until a receipt brings it back to nothing.
    post.run('m4', 4, 'b', 'l', null, 2, 'pick');
    expect(gloves()).toEqual([{ quantity: -2 }]);
    post.run('m5', 5, 'b', null, 'l', 2, 'receipt');
    expect(gloves()).toEqual([]);
    expect(now.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(now.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    now.sqlite.prepare("update individuals set status = 'cancelled' where id = 'i'").run();
    expect(() => now.sqlite.prepare("delete from individuals where id = 'i'").run()).toThrow(/FOREIGN KEY/);
    now.close();
  });
});
