/**
 * The PIN pepper: 32 random bytes mixed into every PIN before it is hashed (`users/pins.ts`), kept
 * outside the database, so a copy of a database alone does not give up PINs however fast someone
 * can try all 10,000 four-digit ones. The register makes it and hands it to each station at
 * enrolment (a PIN hashed anywhere must check everywhere); a station that is not linked makes its
 * own. A station keeps it in `depot.pepper` beside the database, sealed (AES-256-GCM) with the
 * database key, so it is as safe as that key: in the operating system's key store in the desktop app.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DepotError } from '../vocabulary/errors';
import { writeOwnerOnly } from './key';
import type { StationDb } from './open';
import { PEPPERED } from './users/pins';

export const PEPPER_FILE = 'depot.pepper';
const PEPPER_BYTES = 32;
const AAD = Buffer.from('depot-station pin pepper v1');

const cache = new WeakMap<StationDb, Buffer>();

const pepperFile = (store: StationDb) => join(dirname(store.file), PEPPER_FILE);

function seal(key: Buffer, pepper: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(AAD);
  const body = Buffer.concat([cipher.update(pepper), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

function unseal(key: Buffer, sealed: Buffer, file: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(AAD);
    decipher.setAuthTag(sealed.subarray(12, 28));
    const pepper = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    if (pepper.length !== PEPPER_BYTES) throw new Error('wrong length');
    return pepper;
  } catch {
    throw new DepotError('auth.pepper_damaged', {
      sv: `PIN-nyckeln i ${file} är skadad eller hör till en annan station, så ingen PIN-kod kan kontrolleras. Återställ filen från IT:s kopia, eller anslut stationen på nytt.`,
      en: `The PIN key in ${file} is damaged or belongs to another station, so no PIN can be checked. Restore the file from IT's copy, or enrol the station again.`,
    });
  }
}

/** Writes the sealed pepper in one rename, owner-only, so a start cut short never leaves half a file. */
function write(file: string, content: Buffer): void {
  const work = `${file}.new`;
  rmSync(work, { force: true });
  writeOwnerOnly(work, content);
  renameSync(work, file);
}

/**
 * The station's pepper. A station without one makes it, unless PINs were already hashed with one
 * (the register's, or its own before the database was moved or restored without it): then it is
 * missing and no PIN checks until it is back. Each backup keeps a copy beside it (`backup.ts`).
 */
export function pinPepper(store: StationDb, options: { linked: boolean }): Buffer {
  const known = cache.get(store);
  if (known) return known;
  const file = pepperFile(store);
  let pepper: Buffer;
  if (existsSync(file)) pepper = unseal(store.databaseKey(), readFileSync(file), file);
  // Linked, its users' PINs were hashed with the register's; or PINs here were hashed with one
  // before (a database moved or restored without its pepper): a new one would check no PIN.
  else if (options.linked || store.sqlite.prepare('select 1 from users where pin_hash like ? limit 1').get(`${PEPPERED}$%`))
    throw new DepotError('auth.pepper_missing', {
      sv: `PIN-nyckeln (${PEPPER_FILE}) saknas i stationens datamapp, så ingen PIN-kod kan kontrolleras. Återställ filen från IT:s kopia, eller anslut stationen på nytt.`,
      en: `The PIN key (${PEPPER_FILE}) is missing from the station's data dir, so no PIN can be checked. Restore the file from IT's copy, or enrol the station again.`,
    });
  else {
    pepper = randomBytes(PEPPER_BYTES);
    write(file, seal(store.databaseKey(), pepper));
  }
  cache.set(store, pepper);
  return pepper;
}

/** Whether the station holds a pepper. */
export const hasPinPepper = (store: StationDb): boolean => cache.has(store) || existsSync(pepperFile(store));

/** Keeps the register's pepper, handed over at enrolment, in place of any the station had. */
export function keepPinPepper(store: StationDb, pepper: Buffer): void {
  if (pepper.length !== PEPPER_BYTES) throw new Error('a PIN pepper is 32 bytes');
  write(pepperFile(store), seal(store.databaseKey(), pepper));
  cache.set(store, pepper);
}
