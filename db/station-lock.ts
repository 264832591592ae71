/**
 * The running station's hold on its data dir: an exclusive lock on `depot.lock` beside the
 * database, taken by the station when it starts and held until it closes. It is a SQLite lock (the
 * operating system's file lock underneath), so it goes with the process however that ends, kill -9
 * included, and no stale lock is ever left to clear. A restore, and a second station on the same
 * data dir, find it held and refuse.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DepotError } from '../vocabulary/errors';

export const LOCK_FILE = 'depot.lock';

export interface StationLock {
  release(): void;
}

const isBusy = (e: unknown) => ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes((e as { code?: string }).code ?? '');

const running = (dataDir: string) =>
  new DepotError('station.running', {
    sv: `En station körs redan med datamappen ${dataDir}. Stäng den (skrivbordsappen eller webbläsarläget) och försök igen.`,
    en: `A station is already running with the data dir ${dataDir}. Close it (the desktop app or browser mode) and try again.`,
  });

/** Takes the data dir's lock for as long as the station runs; refuses when another station holds it. */
export function holdStationLock(dataDir: string, nativeBinding?: string): StationLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.exec('begin exclusive');
  } catch (e) {
    db.close();
    if (isBusy(e)) throw running(dataDir);
    throw e;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close(); // closing ends the transaction and lets the lock go
    },
  };
}

/** Refuses when a station holds the data dir's lock: what is about to happen needs the station stopped. */
export function requireStationStopped(dataDir: string, nativeBinding?: string): void {
  holdStationLock(dataDir, nativeBinding).release();
}
