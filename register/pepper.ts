/**
 * The register's PIN pepper (`db/pepper.ts`): 32 random bytes in a file of its own, readable by
 * its owner only, outside the database, so a copy of the register's database (or of a PostgreSQL
 * dump) gives up no PIN. Made on the first start; once PINs are hashed with it, a missing file is
 * refused rather than replaced, since no PIN would check against a new one.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { DepotError } from '../vocabulary/errors';
import { ownerOnlyKey } from '../db/key';
import { PEPPERED } from '../db/users/pins';
import type { Sql } from './store';

export const PEPPER_FILE = 'register.pepper';

export const pepperFileIn = (dataDir: string) => join(dataDir, PEPPER_FILE);

/** What the database remembers of the pepper: a keyed hash of a fixed text, from which the pepper cannot be had. */
const mark = (pepper: Buffer) => createHmac('sha256', pepper).update('depot register PIN key').digest('hex');

/**
 * The register's pepper from `file`, made there on a first start. The database keeps a mark of
 * it, so every register node on one PostgreSQL database must have the same file: a node with
 * another pepper (its own, made at the same first start, say) is refused rather than handing its
 * stations a pepper no PIN of the others checks with.
 */
export async function registerPepper(db: Sql, file: string): Promise<Buffer> {
  const [row] = await db.all<{ n: number }>("select count(*) as n from entities where kind = 'user' and data like $1", [`%${PEPPERED}$%`]);
  const [known] = await db.all<{ value: string }>("select value from meta where key = 'pin_key_mark'");
  const pepper = ownerOnlyKey(file, {
    mayCreate: Number(row!.n) === 0 && known === undefined,
    refusals: {
      missing: (f) =>
        new DepotError('register.pepper_missing', {
          sv: `PIN-nyckeln ${f} saknas, men registrets databas används redan med en. Återställ filen från IT:s kopia, eller kopiera den från en annan registernod på samma databas (behörighet 600), och starta igen. Den skapas aldrig på nytt, för då gäller ingen PIN-kod.`,
          en: `The PIN key ${f} is missing, but the register's database is already used with one. Restore the file from IT's copy, or copy it from another register node on the same database (mode 600), and start again. It is never made again, or no PIN would check.`,
        }),
      damaged: (f) =>
        new DepotError('register.pepper_damaged', {
          sv: `PIN-nyckeln i ${f} är skadad. Återställ filen från IT:s kopia.`,
          en: `The PIN key in ${f} is damaged. Restore the file from IT's copy.`,
        }),
      exposed: (f) =>
        new DepotError('register.pepper_exposed', {
          sv: `PIN-nyckeln ${f} kan läsas av andra än registrets användare. Gör den läsbar bara för ägaren (chmod 600) och starta igen.`,
          en: `The PIN key ${f} can be read by others than the register's user. Make it readable by its owner only (chmod 600) and start again.`,
        }),
    },
  });
  await db.run("insert into meta (key, value) values ('pin_key_mark', $1) on conflict (key) do nothing", [mark(pepper)]);
  const [kept] = await db.all<{ value: string }>("select value from meta where key = 'pin_key_mark'");
  if (kept!.value !== mark(pepper))
    throw new DepotError('register.pepper_other', {
      sv: `PIN-nyckeln i ${file} är inte den som registrets databas används med: en annan registernod (eller en tidigare start) har en annan. Alla noder på samma databas ska ha samma PIN-nyckelfil: kopiera den från den nod som startade först (behörighet 600) och starta igen.`,
      en: `The PIN key in ${file} is not the one the register's database is used with: another register node (or an earlier start) has another. Every node on one database needs the same PIN key file: copy it from the node that started first (mode 600) and start again.`,
    });
  return pepper;
}
