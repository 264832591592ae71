/** The audit trail reads as sentences in Swedish and English, for every kind of entry the station writes. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../db/audit';
import { auditCsv, auditLines } from '../../db/audit-log';
import { lookup, SENTENCES, sentence } from '../../db/audit-sentences';
import { carryOut } from '../../db/workflows/effects';
import { AUDIT_KINDS, auditKindOf } from '../../vocabulary/audit-kind';
import { queries, signedIn, tinyApi } from '../helpers';

const root = join(import.meta.dirname, '..', '..');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'demo' || f === 'migrations' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every action the station's code writes to its trail: literal actions, workflow steps, sign-in attempts, the workshop's kinds. */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sources(join(root, 'db')), ...sources(join(root, 'api'))]) {
    const text = readFileSync(file, 'utf8');
    if (!/\baudit\(|attempt\(|refused\(/.test(text)) continue;
    for (const m of text.matchAll(/\baction: (?:before \? )?'([a-z_.A-Z]+)'(?: : '([a-z_.A-Z]+)')?/g)) for (const a of [m[1], m[2]]) if (a) found.add(a);
    for (const m of text.matchAll(/\baudit: '([a-z_.A-Z]+)'/g)) found.add(m[1]!);
    for (const m of text.matchAll(/\b(?:attempt|refused)\('([a-z_]+)'/g)) found.add(m[1]!);
  }
  for (const m of readFileSync(join(root, 'db/service/workshop-rules.ts'), 'utf8').match(/WORKSHOP_KINDS = \[([^\]]+)\]/)![1]!.matchAll(/'([a-z_]+)'/g)) found.add(`workshop.${m[1]}`);
  return found;
}

describe('the audit trail as sentences', () => {
  it('has a sentence in Swedish and English for every kind of entry written, whatever its detail', () => {
    const written = writtenActions();
    // The list is read from the code, so a new kind of entry without a sentence fails here.
    expect(written.size).toBeGreaterThan(50);
    for (const a of ['sign_in', 'sign_in_failed', 'sign_in_locked', 'move.move', 'undo', 'count.approve', 'workshop.checklist', 'article.create', 'delivery_point.change']) expect(written).toContain(a);
    const missing = [...written].filter((a) => !Object.hasOwn(SENTENCES, a));
    expect(missing).toEqual([]);
    const { store } = tinyApi();
    const l = lookup(store);
    for (const action of written)
      for (const detail of [null, '{}', '{"input":{}}', 'not json']) {
        const s = sentence({ user: 'Lena Nilsson', action, entity: 'workflow', entityId: 'x', detail }, l);
        for (const text of [s.sv, s.en]) {
          expect(text.length, action).toBeGreaterThan(8);
          expect(text, action).not.toMatch(/undefined|null|NaN|\{|\[object/);
        }
        expect(s.sv, action).not.toBe(s.en);
      }
    store.close();
  });

  it('says who signed out, not that they made a change', async () => {
    const { store, api } = tinyApi();
    const lena = await signedIn(api, 'warehouse_worker');
    // A workflow left open: signing out closes it, a change the sign-out itself makes.
    expect(await lena.call('workflow.open', { workflow: 'move' })).toMatchObject({ ok: true });
    expect(await lena.call('auth.signOut', {})).toMatchObject({ ok: true });
    const [line] = auditLines(store, { limit: 1 });
    expect(line!.says).toEqual({ sv: `${lena.user.name} loggade ut`, en: `${lena.user.name} signed out` });
    store.close();
  });

  it('says who moved which individual from where to where, through the station and through a workflow step', async () => {
    const { store, api } = tinyApi();
    const { one } = queries(store);
    const ind = one<{ id: string; n: string; from: string; fromCode: string; siteId: string }>(
      `select i.id, i.individual_number as n, i.location_id as "from", l.code as fromCode, l.site_id as siteId from individuals i join locations l on l.id = i.location_id
       where l.level = 'bin' and i.status = 'in_stock' and l.site_id = (select site_id from station) order by i.individual_number limit 1`,
    );
    const to = one<{ id: string; code: string }>(`select id, code from locations where site_id = ? and level = 'bin' and id <> ? order by code limit 1`, ind.siteId, ind.from);
    const lena = await signedIn(api, 'warehouse_worker');
    const r = await lena.call('move.move', { articleId: one<{ a: string }>('select article_id as a from individuals where id = ?', ind.id).a, individualId: ind.id, fromLocationId: ind.from, toLocationId: to.id, quantity: 1 });
    expect(r.ok).toBe(true);
    let [line] = auditLines(store, { limit: 1 });
    expect(line!.says).toEqual({ sv: `Lena Nilsson flyttade ${ind.n} från ${ind.fromCode} till ${to.code}`, en: `Lena Nilsson moved ${ind.n} from ${ind.fromCode} to ${to.code}` });

    // A workflow step names no location it came from: the trail reads it from the movement it posted.
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const carried = carryOut(store, { stationId: st.id, userId: lena.user.id, siteId: st.site_id }, { kind: 'move', articleId: ind.id ? one<{ a: string }>('select article_id as a from individuals where id = ?', ind.id).a : '', individualId: ind.id, lot: null, quantity: 1, fromLocationId: null, toLocationId: ind.from } as never, 'move');
    expect(carried.settled.ok).toBe(true);
    [line] = auditLines(store, { limit: 1 });
    expect(line!.says.sv).toBe(`Lena Nilsson flyttade ${ind.n} från ${to.code} till ${ind.fromCode}`);

    // The export carries the sentence too.
    expect(auditCsv([line!])).toContain(`Lena Nilsson flyttade ${ind.n} från ${to.code} till ${ind.fromCode}`);
    store.close();
  });

  it('gives an entry of a kind it does not know a plain sentence naming who, what and to what, never its JSON', async () => {
    const { store } = tinyApi();
    const { one } = queries(store);
    const st = one<{ id: string }>('select id from station');
    const per = one<{ id: string }>("select id from users where name = 'Per Åström'");
    const loc = one<{ id: string; code: string }>("select id, code from locations where level = 'bin' order by code limit 1");
    audit(store, { stationId: st.id, userId: per.id, action: 'labels.reprint', entity: 'location', entityId: loc.id, detail: { copies: 2, why: 'torn' } });
    let [line] = auditLines(store, { limit: 1 });
    expect(line!.says).toEqual({ sv: `Per Åström utförde ”labels.reprint” på platsen ${loc.code}`, en: `Per Åström did “labels.reprint” on the location ${loc.code}` });
    expect(line!.says.sv).not.toContain('torn');
    audit(store, { stationId: st.id, userId: per.id, action: 'printers.save', entity: 'call', detail: { input: { printers: [] } } });
    [line] = auditLines(store, { limit: 1 });
    expect(line!.says.sv).toBe('Per Åström gjorde en ändring (printers.save)');
    store.close();
  });

  it('sorts every kind of entry written into a kind a supervisor can choose, and filters by kind and by who', async () => {
    const written = writtenActions();
    expect([...written].filter((a) => auditKindOf(a) === null)).toEqual([]);
    expect(auditKindOf('sign_in_failed')).toBe('signIn');
    expect(auditKindOf('count.approve')).toBe('counts');
    expect(auditKindOf('picking.pick')).toBe('stock');
    expect(auditKindOf('workshop.checklist')).toBe('workshop');
    expect(auditKindOf('location.range')).toBe('records');
    expect(auditKindOf('station.setIdle')).toBe('settings');
    // Not a kind by a name that merely begins like one, nor by an inherited key.
    for (const odd of ['', '.', 'toString', 'constructor.x', '__proto__.y', 'counting.x', 'sign_in.x']) expect(auditKindOf(odd), odd).toBeNull();

    const { store, api } = tinyApi();
    const lena = await signedIn(api, 'warehouse_worker');
    // A workflow left open makes the sign-out a change, with an entry of its own.
    expect(await lena.call('workflow.open', { workflow: 'move' })).toMatchObject({ ok: true });
    expect(await lena.call('auth.signOut', {})).toMatchObject({ ok: true });
    const per = await signedIn(api, 'supervisor');
    expect(await per.call('station.setIdle', { minutes: 20 })).toMatchObject({ ok: true });
    const all = auditLines(store, { limit: 1000 });
    expect(new Set(all.map((l) => auditKindOf(l.action)))).toEqual(new Set(['signIn', 'settings']));
    for (const kind of AUDIT_KINDS) {
      const lines = auditLines(store, { kind, limit: 1000 });
      expect(lines.map((l) => l.seq)).toEqual(all.filter((l) => auditKindOf(l.action) === kind).map((l) => l.seq));
    }
    expect(auditLines(store, { kind: 'settings', limit: 1000 }).map((l) => l.says.sv)).toEqual([`${per.user.name} satte tiden till automatisk utloggning till 20 minuter`]);
    // Words find who did it, as the screen's field says.
    const lenas = auditLines(store, { text: 'Lena', limit: 1000 });
    expect(lenas.length).toBeGreaterThanOrEqual(2);
    for (const l of lenas) expect(l.user).toBe(lena.user.name);
    expect(auditLines(store, { text: per.user.name.slice(0, 5), limit: 1000 }).map((l) => l.user)).toEqual([per.user.name, per.user.name]);
    expect(auditLines(store, { text: 'Lena', kind: 'signIn', limit: 1000 }).map((l) => l.says.sv)).toEqual(['Lena Nilsson loggade ut', 'Lena Nilsson loggade in']);
    store.close();
  });
});
