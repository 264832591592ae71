/**
 * Backups of the station database: an online copy (`VACUUM INTO` on a reader in a worker thread,
 * while the station keeps working; SQLite's backup API cannot write an encrypted copy) into
 * `backups/` beside it, encrypted with the station's key, once a night, the seven newest kept.
 * Beside each copy lies the head of its audit trail (`.head`: last number and hash, sealed with the
 * chain key), so a copy whose trail was shortened shows.
 * A restore checks the copy first (its integrity, its audit chain and its head), keeps the database it
 * replaces beside it, and puts the copy in its place; the station is stopped while it runs. A station linked to the
 * register is not restored: its movements are numbered for the register, and going back in time
 * would reuse numbers the register has already counted; a new station fetches everything instead.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { auditHead, KEYED_SCHEMA, REGISTER_HEAD, verifyAuditChain, type Anchor, type AuditVerdict } from './audit';
import { chainKeyFrom, headSealed, sealHead, type ChainHead } from './audit-chain';
import { DepotError } from '../vocabulary/errors';
import { bindingOptions, fileState, openSqlite, type Sqlite, type SqliteOptions } from './cipher';
import { stationKey } from './key';
import { BACKUP_DIR_NAME, DB_FILE_NAME, openStationDb, quickCheck, type OpenOptions, type StationDb } from './open';
import { PEPPER_FILE } from './pepper';
import { getSetting } from './settings';
import { holdStationLock } from './station-lock';

export const KEEP = 7;
const PREFIX = 'depot-';

export const backupDir = (store: StationDb) => join(dirname(store.file), BACKUP_DIR_NAME);

/** The backups there are, newest first. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(PREFIX) && f.endsWith('.sqlite'))
    .sort()
    .reverse()
    .map((f) => join(dir, f));
}

const stamp = (at: number) => new Date(at).toISOString().replace(/[:.]/g, '-');

/** Copies the database now, online, and drops all but the seven newest copies. */
export async function backupNow(store: StationDb, now = Date.now(), dir = backupDir(store)): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${PREFIX}${stamp(now)}.sqlite`);
  rmSync(`${file}.partial`, { force: true });
  // The head before the copy begins: the copy holds it and perhaps a few entries more.
  const head = auditHead(store);
  await store.copyTo(`${file}.partial`);
  if (head?.hash) writeFileSync(headFile(file), JSON.stringify(sealHead(store.auditKey, head.seq, head.hash)), { mode: 0o600 });
  // The PIN pepper, sealed with the same key as the copies, goes with them.
  const pepper = join(dirname(store.file), PEPPER_FILE);
  if (existsSync(pepper)) copyFileSync(pepper, join(dir, PEPPER_FILE));
  renameSync(`${file}.partial`, file); // a copy cut short never looks like a backup
  for (const old of listBackups(dir).slice(KEEP)) for (const f of [old, headFile(old)]) rmSync(f, { force: true });
  return file;
}

/** The file beside a backup that holds the head of its audit trail. */
export const headFile = (backup: string) => `${backup}.head`;

function readHead(file: string): ChainHead | null {
  try {
    return JSON.parse(readFileSync(headFile(file), 'utf8')) as ChainHead;
  } catch {
    return null;
  }
}

/** A backup's head as an anchor of the trail, when it is sealed with this station's chain key. */
const backupAnchor = (auditKey: Buffer, head: ChainHead | null): Anchor | null =>
  head !== null && headSealed(auditKey, head) ? { seq: head.seq, hash: head.hash, where: 'backup' } : null;

/**
 * The heads the station's trail must still hold: the last the register confirmed, and every kept
 * backup's (a trail only grows, so it holds them all; the older ones still show an entry rewritten
 * before the newest backup was made).
 */
export function auditAnchors(store: StationDb, dir = backupDir(store)): Anchor[] {
  const anchors: Anchor[] = [];
  const atRegister = getSetting<{ seq: number; hash: string } | null>(store, REGISTER_HEAD, null);
  if (atRegister) anchors.push({ ...atRegister, where: 'register' });
  for (const backup of listBackups(dir)) {
    const anchor = backupAnchor(store.auditKey, readHead(backup));
    if (anchor) anchors.push(anchor);
  }
  return anchors;
}

/** When the newest backup was made (from its name), or null. */
export function lastBackupAt(dir: string): number | null {
  const newest = listBackups(dir)[0];
  if (!newest) return null;
  const iso = basename(newest).slice(PREFIX.length, -'.sqlite'.length).replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z');
  const at = Date.parse(iso);
  return Number.isFinite(at) ? at : null;
}

/** Whether a nightly backup is due: none yet today after 02:00 local time, or none in the last day. */
export function backupDue(dir: string, now = Date.now()): boolean {
  const last = lastBackupAt(dir);
  if (last === null) return true;
  const tonight = new Date(now);
  tonight.setHours(2, 0, 0, 0);
  return now - last > 24 * 3_600_000 || (now >= tonight.getTime() && last < tonight.getTime());
}

export interface BackupCheck {
  integrity: string[];
  audit: AuditVerdict;
  /** Whether the head of the trail recorded beside the copy is there and sealed with this station's key. */
  head: boolean;
  /**
   * A copy made before keyed links (an older schema): its trail ends unkeyed and no head was
   * recorded beside it, which it is not held against; its first start closes the trail.
   */
  olderTrail: boolean;
  /** A copy of a station linked to the register: its numbering must not go back in time. */
  linked: boolean;
}

/** Opens a copy read-only with the station's key and checks it: SQLite's integrity check and the audit chain. */
export function checkBackup(file: string, key: Buffer, binding: SqliteOptions = {}): BackupCheck {
  let db: Sqlite | null = null;
  try {
    db = openSqlite(file, key, { ...binding, readonly: true, fileMustExist: true });
    const integrity = quickCheck(db);
    const linked = db.prepare('select 1 from sync_state').get() !== undefined;
    const auditKey = chainKeyFrom(key);
    const head = readHead(file);
    const anchor = backupAnchor(auditKey, head);
    const audit = verifyAuditChain({ sqlite: db, auditKey }, anchor ? [anchor] : []);
    // A copy of an empty trail has no head to record.
    const empty = audit.entries === 0 && head === null;
    const olderTrail = (db.pragma('user_version', { simple: true }) as number) < KEYED_SCHEMA;
    return { integrity, audit, head: anchor !== null || empty, olderTrail, linked };
  } catch (e) {
    throw new DepotError('backup.unreadable', {
      sv: `${basename(file)} går inte att läsa som en säkerhetskopia av den här stationen (${(e as Error).message}): den är skadad, eller krypterad med en annan stations nyckel. Välj en annan fil.`,
      en: `${basename(file)} cannot be read as a backup of this station (${(e as Error).message}): it is damaged, or encrypted with another station's key. Choose another file.`,
    });
  } finally {
    db?.close();
  }
}

/**
 * Puts a backup in place of the station's database. The station must be stopped: a running one
 * holds the data dir's lock and the restore refuses. The current
 * database is kept as `depot.sqlite.before-restore-<time>`.
 */
export function restoreBackup(
  dataDir: string,
  backupFile: string,
  options: Omit<OpenOptions, 'dataDir' | 'quickCheck'> & { now?: number } = {},
): { replaced: string | null; check: BackupCheck } {
  const { now = Date.now(), ...open } = options;
  // A running station would go on writing to the file set aside: what it wrote would be lost.
  const lock = holdStationLock(dataDir, open.nativeBinding);
  try {
    return restoreUnlocked(dataDir, backupFile, open, now);
  } finally {
    lock.release();
  }
}

function restoreUnlocked(dataDir: string, backupFile: string, open: Omit<OpenOptions, 'dataDir' | 'quickCheck'>, now: number): { replaced: string | null; check: BackupCheck } {
  const binding = bindingOptions(open.nativeBinding);
  const target = join(dataDir, DB_FILE_NAME);
  // A copy from before encryption may land on a machine without a key; it gets one when it opens.
  const key = stationKey(dataDir, { seal: open.keySeal, mayCreate: fileState(backupFile) !== 'encrypted' && fileState(target) !== 'encrypted' });
  const check = checkBackup(backupFile, key, binding);
  if (check.linked)
    throw new DepotError('backup.linked', {
      sv: 'Den här stationen synkar med registret, som redan har allt den har skickat. Läs inte tillbaka en säkerhetskopia: anslut en ny station med en kod så hämtar den allt från registret.',
      en: 'This station syncs with the register, which already holds everything it sent. Do not restore a backup: enrol a new station with a code and it fetches everything from the register.',
    });
  const olderEnd = check.olderTrail && check.audit.reason === 'unkeyed';
  if (check.integrity.length > 0 || (!check.audit.ok && !olderEnd))
    throw new DepotError('backup.damaged', {
      sv: `Säkerhetskopian ${basename(backupFile)} är skadad eller ändrad och läses inte tillbaka. Välj en äldre kopia.`,
      en: `The backup ${basename(backupFile)} is damaged or altered and is not restored. Choose an older one.`,
    });
  if (!check.head && !check.olderTrail)
    throw new DepotError('backup.no_head', {
      sv: `Bredvid säkerhetskopian ${basename(backupFile)} saknas filen ${basename(headFile(backupFile))}, som visar var granskningsloggen slutade när kopian togs, eller så är den ändrad. Kopian läses inte tillbaka. Välj en annan kopia (med sin .head-fil bredvid).`,
      en: `The file ${basename(headFile(backupFile))}, which shows where the audit trail ended when the backup was made, is missing beside ${basename(backupFile)} or has been altered. The backup is not restored. Choose another one (with its .head file beside it).`,
    });
  let replaced: string | null = null;
  if (existsSync(target)) {
    // Fold any write-ahead log into the file being set aside, so it is whole on its own.
    const current = openSqlite(target, key, binding);
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    replaced = `${target}.before-restore-${stamp(now)}`;
    renameSync(target, replaced);
  }
  for (const side of ['-wal', '-shm']) rmSync(`${target}${side}`, { force: true });
  copyFileSync(backupFile, target);
  // A data dir without the PIN pepper (a new machine) takes the one kept beside the backups.
  const pepperHere = join(dataDir, PEPPER_FILE);
  const pepperThere = join(dirname(backupFile), PEPPER_FILE);
  if (!existsSync(pepperHere) && existsSync(pepperThere)) copyFileSync(pepperThere, pepperHere);
  // It must open as a station database (migrations, if the copy is older than the app).
  const restored = openStationDb({ ...open, dataDir, quickCheck: 'skip' });
  try {
    setAsideLaterBackups(restored, now);
  } finally {
    restored.close();
  }
  return { replaced, check };
}

/**
 * Backups made after the restored copy hold a trail the station no longer has (its entries'
 * numbers will be used again): their heads would read as a shortened or rewritten trail. They go
 * into a folder of their own in `backups/`, kept, but no longer the station's.
 */
function setAsideLaterBackups(store: StationDb, now: number): void {
  const dir = backupDir(store);
  const entry = store.sqlite.prepare('select hash from audit_log where rowid = ?');
  const later = listBackups(dir).filter((b) => {
    const head = readHead(b);
    return head !== null && (entry.get(head.seq) as { hash: string | null } | undefined)?.hash !== head.hash;
  });
  if (later.length === 0) return;
  const aside = join(dir, `after-restore-${stamp(now)}`);
  mkdirSync(aside, { recursive: true, mode: 0o700 });
  for (const b of later) for (const f of [b, headFile(b)]) if (existsSync(f)) renameSync(f, join(aside, basename(f)));
}
