/** The register's schema is written twice, once per dialect: both migrations must make the same tables and columns. */
import { describe, expect, it } from 'vitest';
import { openRegisterDb } from '../../register/store';
import { PG_URL, registerDbOptions } from '../sync/harness';

describe.skipIf(!PG_URL)('the register schema on SQLite and PostgreSQL', () => {
  it('has the same tables, columns and nullability in both', async () => {
    const lite = await openRegisterDb(await registerDbOptions('sqlite'));
    const pg = await openRegisterDb(await registerDbOptions('postgres'));
    try {
      const liteTables = (await lite.all<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")).map((t) => t.name);
      const shape = new Map<string, string[]>();
      for (const t of liteTables)
        shape.set(t, (await lite.all<{ name: string; notnull: number }>(`select name, "notnull" from pragma_table_info('${t}') order by name`)).map((c) => `${c.name}${c.notnull ? '!' : ''}`));
      const pgCols = await pg.all<{ table_name: string; column_name: string; is_nullable: string }>(
        "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public' order by table_name, column_name",
      );
      const pgShape = new Map<string, string[]>();
      for (const c of pgCols) pgShape.set(c.table_name, [...(pgShape.get(c.table_name) ?? []), `${c.column_name}${c.is_nullable === 'NO' ? '!' : ''}`]);
      expect(shape.size).toBeGreaterThanOrEqual(7);
      expect(Object.fromEntries(pgShape)).toEqual(Object.fromEntries(shape));
    } finally {
      await lite.close();
      await pg.close();
    }
  });
});
