/**
 * The register's database access that both dialects share: plain SQL with `$1, $2…` parameters
 * over `Sql` (register/store.ts opens SQLite or PostgreSQL behind it), inserting and reading rows
 * in chunks that fit either dialect's limits, and the `rev` counter that numbers every change.
 */
import type { Sql } from './store';

/** Inserts rows in as few statements as the dialect's parameter limit allows. */
export async function insertRows(q: Sql, head: string, columns: number, rows: readonly unknown[][], tail = ''): Promise<void> {
  const per = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const values = chunk.map((row) => {
      const marks = row.map((v) => (params.push(v), `$${params.length}`));
      return `(${marks.join(', ')})`;
    });
    await q.run(`${head} values ${values.join(', ')} ${tail}`, params);
  }
}

/** Reads rows whose key is in `ids`, in chunks. */
export async function selectIn<T>(q: Sql, text: (marks: string) => string, ids: readonly unknown[], extra: unknown[] = []): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const marks = chunk.map((_, j) => `$${extra.length + j + 1}`).join(', ');
    out.push(...(await q.all<T>(text(marks), [...extra, ...chunk])));
  }
  return out;
}

/** The register's latest change: its `rev` counter as it stands. */
export async function headRev(q: Sql): Promise<number> {
  const [row] = await q.all<{ value: number }>("select value from counters where name = 'rev'");
  return Number(row!.value);
}

/** The rev counter as a writer holds it (`revs`). */
export type Revs = Awaited<ReturnType<typeof revs>>;

/** Takes the rev counter (which also orders writers by commit) and hands out the numbers after it. */
export async function revs(q: Sql) {
  const [row] = await q.all<{ value: number }>("update counters set value = value where name = 'rev' returning value");
  let rev = Number(row!.value);
  return {
    next: () => ++rev,
    save: () => q.run("update counters set value = $1 where name = 'rev'", [rev]),
  };
}

/** A text field of an entity's stored JSON, in the dialect's words. */
export const entityField = (dialect: 'sqlite' | 'postgres', name: string): string =>
  dialect === 'sqlite' ? `json_extract(data, '$.${name}')` : `(data::jsonb ->> '${name}')`;
