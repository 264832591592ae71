/** What did not come back with a device is on its reconditioning job, for the technician, and on its timeline. */
import { describe, expect, it } from 'vitest';
import { serviceJobView } from '../../db/service/views';
import { individualTimeline } from '../../db/service/timeline';
import { componentsOf, returnIndividual } from '../../db/workflows/returns';
import { queries, tinyStore } from '../helpers';

describe('a return short of components', () => {
  it('shows the technician what is missing on the job, and the timeline says it at the return', () => {
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id, siteId: st.site_id };
    const lent = one<{ id: string; articleId: string }>(
      "select i.id, i.article_id as articleId from individuals i where i.status = 'on_loan' and (select count(*) from article_components c where c.article_id = i.article_id) >= 2 order by i.individual_number limit 1",
    );
    const [seen, lost] = componentsOf(store, lent.articleId).map((c) => c.name);
    expect(serviceJobView(store, lent.id).missing).toEqual([]);
    returnIndividual(store, actor, { individualId: lent.id, missing: [lost!] });
    expect(serviceJobView(store, lent.id).missing).toEqual([lost]);
    expect(serviceJobView(store, lent.id).missing).not.toContain(seen);
    const atReturn = individualTimeline(store, lent.id).entries.find((e) => e.details.some((d) => d.sv.startsWith('Saknades vid returen')));
    expect(atReturn?.details.map((d) => d.sv)).toEqual([`Saknades vid returen: ${lost}`]);
    store.close();
  });
});
