/**
 * Two register nodes sharing one PostgreSQL database write at the same moment: a write that checks
 * what it reads takes its turn first, so what another node commits meanwhile is either in what it
 * reads or waits until it is in. Each case holds the other node's transaction open until the write
 * here waits behind it (seen in pg_stat_activity, never timed).
 */
import { describe, expect, it } from 'vitest';
import { issuePinCode } from '../../register/console/store';
import { exchangeWithRegion, type MasterDataChange, type RegionRegisterPort } from '../../register/port';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { PG_URL, tinyRegister, whileAnotherNodeWrites } from '../sync/harness';

const reason = PG_URL ? '' : ' (skipped: set REGISTER_TEST_DATABASE_URL to a PostgreSQL server whose role may create databases)';

describe.skipIf(!PG_URL)(`two register nodes writing at once${reason}`, () => {
  it('never lets a console undo what another node committed while it waited: a user switched off stays off, with no new PIN code', async () => {
    const reg = await tinyRegister('postgres');
    const users = (await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'user' and deleted = 0")).map((r): Record<string, unknown> & { id: string } => ({ ...(JSON.parse(r.data) as Record<string, unknown>), id: r.id }));
    const admin = users.find((u) => u.role === 'admin' && (u.active === 1 || u.active === true))!;
    const worker = users.find((u) => u.id !== admin.id && u.role === 'warehouse_worker' && (u.active === 1 || u.active === true))!;
    const [issued] = await whileAnotherNodeWrites(
      reg,
      "update counters set value = value + 1 where name = 'rev' returning value",
      [() => issuePinCode(reg.register, { id: admin.id, name: String(admin.name), role: 'admin', siteId: null }, worker.id, Date.now())],
      // The other node's console switches the worker off.
      async (other, [held]) => void (await other.query("update entities set data = $1, rev = $2 where kind = 'user' and id = $3", [JSON.stringify({ ...worker, active: 0 }), Number(held!.value), worker.id])),
    );
    expect(issued).toMatchObject({ status: 'rejected', reason: { code: 'console.no_pin' } });
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [worker.id]);
    expect(JSON.parse(row!.data)).toMatchObject({ active: 0, pin_code_hash: worker.pin_code_hash ?? null });
  });

  it('enrols one station with a code, however many ask with it at once', async () => {
    const reg = await tinyRegister('postgres');
    const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' and deleted = 0 order by id limit 1");
    const code = await reg.register.createEnrolmentCode({ stationName: 'Kassa Två', siteId: site!.id });
    const [before] = await reg.register.db.all<{ n: number }>('select count(*)::int as n from stations');
    // Both enrolments have read the code as unused when the other node lets the first go on.
    const ended = await whileAnotherNodeWrites(reg, "update counters set value = value where name = 'individual_next' returning value", [() => reg.register.enrol(code), () => reg.register.enrol(code)]);
    expect(ended.map((e) => e.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(ended.find((e) => e.status === 'rejected')).toMatchObject({ reason: { code: 'register.bad_code' } });
    const [after] = await reg.register.db.all<{ n: number }>('select count(*)::int as n from stations');
    expect(after!.n - before!.n).toBe(1);
  });

  it('takes the region\'s exchanges in turn: the second node starts from where the first left the bookmark, and neither writes an older one over', async () => {
    const reg = await tinyRegister('postgres');
    const other = await Register.open(await openRegisterDb(reg.options));
    try {
      const [a, b] = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'article' and deleted = 0 order by id limit 2");
      const renamed = (row: { id: string; data: string }, name: string): MasterDataChange => ({ kind: 'article', id: row.id, data: { ...(JSON.parse(row.data) as Record<string, unknown>), name } });
      // The region's change log; the first exchange's fetch is held open until the second is under way.
      const log: MasterDataChange[] = [renamed(a!, 'Rollator Carl, ny modell')];
      const asked: (string | null)[] = [];
      let firstAsked!: () => void;
      const firstAsking = new Promise<void>((r) => (firstAsked = r));
      let secondAsked!: () => void;
      const secondAsking = new Promise<void>((r) => (secondAsked = r));
      let letFirstGo!: () => void;
      const firstMayGo = new Promise<void>((r) => (letFirstGo = r));
      const region: RegionRegisterPort = {
        async fetchChanges(since) {
          asked.push(since);
          const upTo = log.length;
          if (asked.length === 1) {
            firstAsked();
            await firstMayGo;
          } else secondAsked();
          return { changes: log.slice(since === null ? 0 : Number(since), upTo), next: String(upTo) };
        },
        async publishMovements() {},
      };
      const first = exchangeWithRegion(reg.register, region);
      await firstAsking;
      log.push(renamed(b!, 'Duschpall Ö, ny modell'));
      const second = exchangeWithRegion(other, region);
      // The second node waits on the first (an advisory lock not granted), or, were there no turns, asks the region at once.
      let seen = false;
      const waits = (async () => {
        for (let looked = 0; looked < 3_000 && !seen; looked++) {
          const [w] = await reg.register.db.all<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted");
          if (w!.n > 0) return;
          await new Promise((r) => setTimeout(r, 10));
        }
        if (!seen) throw new Error('the second exchange neither waited nor asked the region');
      })();
      await Promise.race([waits, secondAsking]);
      seen = true;
      await waits;
      letFirstGo();
      await Promise.all([first, second]);
      expect(asked).toEqual([null, '1']);
      const [bookmark] = await reg.register.db.all<{ value: string }>("select value from meta where key = 'region_bookmark'");
      expect(bookmark!.value).toBe('2');
      const names = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'article' and id in ($1, $2) order by id", [a!.id, b!.id]);
      expect(names.map((n) => (JSON.parse(n.data) as { name: string }).name)).toEqual(['Rollator Carl, ny modell', 'Duschpall Ö, ny modell']);
    } finally {
      await other.close();
    }
  });
});
