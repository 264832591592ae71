/**
 * Two register nodes sharing one PostgreSQL database write at the same moment: a write that checks
 * what it reads takes its turn first, so what another node commits meanwhile is either in what it
 * reads or waits until it is in. Each case holds the other node's transaction open until the write
 * here waits behind it (seen in pg_stat_activity, never timed).
 */
import { describe, expect, it } from 'vitest';
import { issuePinCode } from '../../register/console/store';
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
});
