/**
 * A GTIN met at goods receipt that no article has: a supervisor links it to the article it is on
 * (the order line's), so the next scan receives it. The link is the register's like every GTIN: it
 * goes there as a `gtin_link`, is judged again, and comes back to every station with the article.
 */
import { isValidGtin, toGtin14 } from '../../vocabulary/codes/station-codes';
import { SUPERVISOR_ROLES } from '../../vocabulary/domain';
import { DepotError } from '../../vocabulary/errors';
import { audit } from '../audit';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import type { Actor } from './ledger';
import { queueChanges } from '../sync/outbox';
import { requireRole } from '../users/users';

/** Who may link a GTIN to an article. */
export const LINKS_GTINS = SUPERVISOR_ROLES;

export function linkGtin(store: StationDb, actor: Actor, input: { gtin: string; articleId: string }): { gtin: string; articleNumber: string } {
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, LINKS_GTINS, { sv: 'Bara en arbetsledare kan koppla en streckkod till en artikel.', en: 'Only a supervisor can link a barcode to an article.' });
    const raw = input.gtin.trim();
    if (!/^\d{8}$|^\d{12,14}$/.test(raw) || !isValidGtin(raw))
      throw new DepotError('gtin.invalid', { sv: `${raw} är ingen giltig GTIN (fel längd eller kontrollsiffra). Skanna den igen.`, en: `${raw} is not a valid GTIN (wrong length or check digit). Scan it again.` }, 'gtin');
    const gtin = toGtin14(raw);
    const article = stmt<{ number: string }>(store, 'select article_number as number from articles where id = ?').get(input.articleId);
    if (!article) throw new DepotError('gtin.unknown_article', { sv: 'Artikeln finns inte. Läs in ordern igen.', en: 'The article does not exist. Open the order again.' }, 'articleId');
    const taken = stmt<{ number: string }>(store, 'select a.article_number as number from article_gtins g join articles a on a.id = g.article_id where g.gtin = ?').get(gtin);
    if (taken)
      throw new DepotError('gtin.taken', { sv: `GTIN ${gtin} hör redan till artikel ${taken.number}.`, en: `GTIN ${gtin} already belongs to article ${taken.number}.` }, 'gtin');
    stmt(store, 'insert into article_gtins (gtin, article_id) values (?, ?)').run(gtin, input.articleId);
    const data = { id: gtin, gtin, article_id: input.articleId, changed_by: actor.userId, changed_at: Date.now() };
    audit(store, { ...actor, action: 'gtin.link', entity: 'article', entityId: input.articleId, detail: data });
    queueChanges(store, [['gtin_link', gtin, data]]);
    return { gtin, articleNumber: article.number };
  })();
}
