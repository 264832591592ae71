import { sql } from 'drizzle-orm';

/** The values of a fixed list as the SQL list a check constraint's `in (…)` takes. */
export const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
