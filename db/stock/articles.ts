/**
 * The article range, kept by supervisors at any station: number, name, ISO 9999 code, supplier,
 * price, how it is followed, its GTINs and HIBC codes, and the equivalence group of articles that
 * stand in for each other. A change is checked by the rules the register applies too
 * (`article-rules.ts`), written here with its codes, audited, and queued for the register, which
 * hands it to every station.
 */
import { DepotError } from '../../vocabulary/errors';
import { audit } from '../audit';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { copyScope } from '../sync/scope';
import { queueChanges } from '../sync/outbox';
import { requireRole } from '../users/users';
import { articleData, articleWrong, badGtin, countedDifferently, EDITS_ARTICLES, type ArticleFields } from './article-rules';
import type { Actor } from './ledger';

export interface ArticleInput extends ArticleFields {
  /** null: a new article. */
  id?: string | null;
}

const COLUMNS = ['id', 'article_number', 'name', 'search_name', 'iso_code', 'iso_edition', 'rentable', 'unit', 'supplier', 'purchase_price', 'tracking', 'equivalence_group', 'changed_by', 'changed_at'] as const;

/** The article as the register's entity holds it: its columns with its GTINs and HIBC codes. */
export function articleEntity(store: StationDb, id: string): Record<string, unknown> | null {
  const row = stmt<Record<string, unknown>>(store, `select ${COLUMNS.join(', ')} from articles where id = ?`).get(id);
  if (!row) return null;
  const gtins = stmt<{ gtin: string }>(store, 'select gtin from article_gtins where article_id = ? order by gtin').all(id).map((r) => r.gtin);
  const hibc = stmt<{ code: string }>(store, 'select code from article_hibc where article_id = ? order by code').all(id).map((r) => r.code);
  return { ...row, gtins, hibc };
}

/** Whether an article has stock or devices anywhere this station knows of: then how it is counted stays. */
const hasStock = (store: StationDb, id: string): boolean =>
  stmt(store, 'select 1 from balances where article_id = ? and quantity <> 0 union all select 1 from individuals where article_id = ? limit 1').get(id, id) !== undefined;

const taken = (code: string, number: string, field: 'gtins' | 'hibc') =>
  new DepotError('article.code_taken', { sv: `${code} hör redan till artikel ${number}.`, en: `${code} already belongs to article ${number}.` }, field);

/** Creates or changes an article; a supervisor's. */
export function saveArticle(store: StationDb, actor: Actor, input: ArticleInput): Record<string, unknown> {
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, EDITS_ARTICLES, { sv: 'Bara en arbetsledare kan ändra artiklar.', en: 'Only a supervisor can change articles.' });
    const id = input.id ?? uuidv7();
    const before = input.id ? articleEntity(store, input.id) : null;
    if (input.id && !before) throw new DepotError('article.unknown', { sv: 'Artikeln finns inte längre. Läs in sidan igen.', en: 'The article no longer exists. Reload the page.' });
    const bad = badGtin(input.gtins);
    if (bad) throw new DepotError('article.bad_gtin', { sv: `${bad} är ingen giltig GTIN (fel längd eller kontrollsiffra).`, en: `${bad} is not a valid GTIN (wrong length or check digit).` }, 'gtins');
    const data = articleData(id, input, actor.userId, Date.now());
    const problem = articleWrong(id, data);
    if (problem) throw new DepotError('article.invalid', { sv: problem.sv, en: problem.en }, problem.field);
    const sameNumber = stmt<{ id: string }>(store, 'select id from articles where article_number = ?').get(data.article_number);
    if (sameNumber && sameNumber.id !== id)
      throw new DepotError('article.number_taken', { sv: `Artikelnummer ${data.article_number as string} finns redan.`, en: `Article number ${data.article_number as string} already exists.` }, 'articleNumber');
    for (const gtin of data.gtins as string[]) {
      const owner = stmt<{ id: string; number: string }>(store, 'select a.id, a.article_number as number from article_gtins g join articles a on a.id = g.article_id where g.gtin = ?').get(gtin);
      if (owner && owner.id !== id) throw taken(gtin, owner.number, 'gtins');
    }
    for (const code of data.hibc as string[]) {
      const owner = stmt<{ id: string; number: string }>(store, 'select a.id, a.article_number as number from article_hibc h join articles a on a.id = h.article_id where h.code = ?').get(code);
      if (owner && owner.id !== id) throw taken(code, owner.number, 'hibc');
    }
    // A depot's own copy does not see the other sites' stock: whether it may change is not its to say.
    if (before && countedDifferently(before, data) && copyScope(store) !== null)
      throw new DepotError(
        'article.counted_differently',
        {
          sv: 'Om artikeln hyrs ut och hur den följs ändras på en station i centralförrådet, som ser hela regionens saldo och individer.',
          en: "Whether the article is rented out and how it is followed is changed at a station in the central store, which sees the whole region's stock and devices.",
        },
        'tracking',
      );
    if (before && countedDifferently(before, data) && hasStock(store, id))
      throw new DepotError(
        'article.counted_differently',
        {
          sv: 'Artikeln har saldo eller individer: om den hyrs ut och hur den följs kan inte ändras nu. Lägg upp en ny artikel i stället.',
          en: 'The article has stock or devices: whether it is rented out and how it is followed cannot change now. Create a new article instead.',
        },
        'tracking',
      );
    stmt(
      store,
      `insert into articles (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
       on conflict (id) do update set ${COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ).run(...COLUMNS.map((c) => data[c] ?? null));
    stmt(store, 'delete from article_gtins where article_id = ?').run(id);
    for (const gtin of data.gtins as string[]) stmt(store, 'insert into article_gtins (gtin, article_id) values (?, ?)').run(gtin, id);
    stmt(store, 'delete from article_hibc where article_id = ?').run(id);
    for (const code of data.hibc as string[]) stmt(store, 'insert into article_hibc (code, article_id) values (?, ?)').run(code, id);
    audit(store, { ...actor, action: before ? 'article.change' : 'article.create', entity: 'article', entityId: id, detail: data });
    queueChanges(store, [['article', id, data]]);
    return data;
  })();
}

/** The equivalence groups in use, for choosing one, with how many articles each has. */
export function equivalenceGroups(store: StationDb): { name: string; articles: number }[] {
  return stmt<{ name: string; articles: number }>(
    store,
    'select equivalence_group as name, count(*) as articles from articles where equivalence_group is not null group by equivalence_group order by sv_order(equivalence_group)',
  ).all();
}
