/**
 * The register as several stateless nodes on one PostgreSQL database, behind a load balancer:
 * nodes that start together, nodes that must share one PIN pepper, the console's sign-ins on any
 * node, and a reduced load test (20
 * stations for 10 s against two node processes, each station's pushes alternating between them and
 * every third push's answer lost) after which every movement is in the register exactly once and
 * stock equals the ledger. Never timed: the figures are the benchmark's (`npm run bench -- --load`).
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLoad, runLoad } from '../../bench/load';
import { registerPepper } from '../../register/pepper';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { CONSOLE_COOKIE, CONSOLE_HEADER } from '../../register/console/api';
import { serveRegister } from '../../register/http';
import { PG_URL, registerDbOptions, tinyRegister } from '../sync/harness';
import { tempDir } from '../helpers';

const reason = PG_URL ? '' : ' (skipped: set REGISTER_TEST_DATABASE_URL to a PostgreSQL server whose role may create databases)';

describe.skipIf(!PG_URL)(`the register on two nodes sharing one PostgreSQL database${reason}`, () => {
  it('nodes that start together on a new database all start: one migrates and sets up, the others wait and find it done', async () => {
    for (let round = 0; round < 3; round++) {
      const options = await registerDbOptions('postgres');
      const dbs = await Promise.all([openRegisterDb(options), openRegisterDb(options), openRegisterDb(options)]);
      const registers = await Promise.all(dbs.map((db) => Register.open(db)));
      // One epoch, one set of counters, each migration applied once.
      expect(new Set(registers.map((r) => r.epoch)).size).toBe(1);
      expect(await dbs[0]!.all<{ name: string }>('select name from counters order by name')).toHaveLength(3);
      const applied = await dbs[0]!.all<{ hash: string }>('select hash from drizzle.__drizzle_migrations');
      expect(new Set(applied.map((m) => m.hash)).size).toBe(applied.length);
      // The first start's work under the start lock: one at a time, never two together.
      let inside = 0;
      let most = 0;
      await Promise.all(
        dbs.map((db) =>
          db.alone(async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 30));
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      // A node runs its transactions that number changes one at a time (they commit one at a time
      // anyway), so those waiting hold no database connection.
      let numbering = 0;
      let overlap = 0;
      await Promise.all(
        Array.from({ length: 12 }, () =>
          dbs[0]!.changes(async (q) => {
            overlap = Math.max(overlap, ++numbering);
            await q.all("update counters set value = value where name = 'rev' returning value");
            await new Promise((r) => setTimeout(r, 5));
            numbering--;
          }),
        ),
      );
      expect(overlap).toBe(1);
      await Promise.all(registers.map((r) => r.close()));
    }
  });

  it('every node must have the same PIN pepper: a node with another is refused and told to copy the first one', async () => {
    const options = await registerDbOptions('postgres');
    const a = await openRegisterDb(options);
    const b = await openRegisterDb(options);
    const dirA = tempDir('node-a-');
    const dirB = tempDir('node-b-');
    // Both start on an empty database at once: one of them is refused, whether it made a pepper of its
    // own before the other's mark was written (another pepper) or found the mark first (none of its own).
    const started = await Promise.allSettled([registerPepper(a, join(dirA, 'register.pepper')), registerPepper(b, join(dirB, 'register.pepper'))]);
    expect(started.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const refused = started.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect(['register.pepper_other', 'register.pepper_missing']).toContain((refused.reason as { code: string }).code);
    expect((refused.reason as { userMessage: { sv: string } }).userMessage.sv).toMatch(/kopiera den från (den nod som startade först|en annan registernod)/);
    // With the first node's file copied over, it starts, with the same pepper.
    const first = (started.find((s) => s.status === 'fulfilled') as PromiseFulfilledResult<Buffer>).value;
    const copy = join(tempDir('node-c-'), 'register.pepper');
    writeFileSync(copy, first.toString('hex'), { mode: 0o600 });
    chmodSync(copy, 0o600);
    expect((await registerPepper(b, copy)).equals(first)).toBe(true);
    // A node whose file is missing makes no new one once the database knows the pepper.
    await expect(registerPepper(b, join(tempDir('node-d-'), 'register.pepper'))).rejects.toMatchObject({ code: 'register.pepper_missing' });
    await a.close();
    await b.close();
  });

  it("the console's sign-ins and lock-outs hold on every node: signed in at one, answered at the other, signed out everywhere, wrong PINs counted across both", async () => {
    const a = await tinyRegister('postgres');
    const b = await Register.open(await openRegisterDb(a.options), { pinPepper: a.register.pinPepper() });
    const nodeB = await serveRegister(b);
    try {
      const [per] = await a.register.db.all<{ id: string }>("select id from entities where kind = 'user' and data like '%\"name\":\"Per Åström\"%'");
      const [karin] = await a.register.db.all<{ id: string }>("select id from entities where kind = 'user' and data like '%\"name\":\"Karin Lundberg\"%'");
      const call = async (node: string, method: 'GET' | 'POST', path: string, body?: object, cookie?: string) => {
        const res = await fetch(`${node}/console/api/${path}`, {
          method,
          headers: { ...(method === 'POST' ? { 'Content-Type': 'application/json', [CONSOLE_HEADER]: '1' } : {}), ...(cookie ? { Cookie: `${CONSOLE_COOKIE}=${cookie}` } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const set = res.headers.get('set-cookie');
        return { status: res.status, body: (await res.json()) as { error?: { code: string } }, cookie: set ? new RegExp(`${CONSOLE_COOKIE}=([^;]*)`).exec(set)?.[1] : undefined };
      };
      const signedIn = await call(a.server.url, 'POST', 'session', { userId: per!.id, pin: '9991' });
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.cookie!;
      // The next calls reach the other node, and the one after the first again.
      expect((await call(nodeB.url, 'GET', 'fleet', undefined, cookie)).status).toBe(200);
      expect((await call(a.server.url, 'GET', 'fleet', undefined, cookie)).status).toBe(200);
      // Signed out at one node: signed out at both.
      expect((await call(nodeB.url, 'POST', 'session/end', {}, cookie)).status).toBe(200);
      const after = await call(a.server.url, 'GET', 'fleet', undefined, cookie);
      expect([after.status, after.body.error?.code]).toEqual([401, 'console.signed_out']);
      // Five wrong PINs, alternating between the nodes, lock the user out at both.
      for (let i = 0; i < 5; i++) await call(i % 2 ? nodeB.url : a.server.url, 'POST', 'session', { userId: karin!.id, pin: '0000' });
      for (const node of [a.server.url, nodeB.url]) {
        const locked = await call(node, 'POST', 'session', { userId: karin!.id, pin: '4441' });
        expect([locked.status, locked.body.error?.code]).toEqual([423, 'console.locked']);
      }
    } finally {
      await nodeB.close();
      await b.close();
    }
  });

  it('20 stations syncing for 10 s against two register processes: no errors, each push alternating between the nodes, answers lost, every movement exactly once', { timeout: 300_000 }, async () => {
    const { databaseUrl } = (await registerDbOptions('postgres')) as { databaseUrl: string };
    const report = await runLoad({ databaseUrl, stations: 20, seconds: 10, lossEvery: 3, minRounds: 4 });
    console.log(describeLoad(report).join('\n'));
    expect(report.nodeErrors).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.gaps).toBe(0);
    // Every station made at least four rounds: its pushes went to both nodes and its third push's answer was lost.
    expect(report.alternated).toBe(20);
    expect(report.lostAcks).toBeGreaterThanOrEqual(20);
    expect(report.calls.push?.count).toBeGreaterThan(0);
    expect(report.calls.pull?.count).toBeGreaterThan(0);
    // Exactly once: each station's every movement in the register, none missing, none extra, all acknowledged.
    expect(report.check.made).toBeGreaterThan(0);
    expect(report.check).toEqual({ made: report.check.made, missing: 0, extra: 0, unacknowledged: 0, ledgerOk: true });
  });
});
