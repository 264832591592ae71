/**
 * The register's PIN pepper (`db/pepper.ts`): 32 random bytes in a file of its own, readable by
 * its owner only, outside the database, so a copy of the register's database (or of a PostgreSQL
 * dump) gives up no PIN. Made on the first start; once PINs are hashed with it, a missing file is
 * refused rather than replaced, since no PIN would check against a new one.
 */
import { join } from 'node:path';
import { DepotError } from '../vocabulary/errors';
import { ownerOnlyKey } from '../db/key';
import { PEPPERED } from '../db/users/pins';
import type { Sql } from './store';

export const PEPPER_FILE = 'register.pepper';

export const pepperFileIn = (dataDir: string) => join(dataDir, PEPPER_FILE);

export async function registerPepper(db: Sql, file: string): Promise<Buffer> {
  const [row] = await db.all<{ n: number }>("select count(*) as n from entities where kind = 'user' and data like $1", [`%${PEPPERED}$%`]);
  return ownerOnlyKey(file, {
    mayCreate: Number(row!.n) === 0,
    refusals: {
      missing: (f) =>
        new DepotError('register.pepper_missing', {
          sv: `PIN-nyckeln ${f} saknas, men registrets användare har PIN-koder som kontrolleras med den. Återställ filen från IT:s kopia (den skapas aldrig på nytt, för då gäller ingen PIN-kod).`,
          en: `The PIN key ${f} is missing, but the register's users have PINs checked with it. Restore the file from IT's copy (it is never made again, or no PIN would check).`,
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
}
