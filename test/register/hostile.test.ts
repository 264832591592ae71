/**
 * The register meets what anyone on the network sends: a small body that unpacks to hundreds of
 * megabytes is refused without being unpacked, an enrolment code is not for guessing, and the
 * register goes on serving its stations.
 */
import { request } from 'node:http';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../register/http';
import { tinyRegister, type TestRegister } from '../sync/harness';

let reg: TestRegister;
beforeAll(async () => {
  reg = await tinyRegister('sqlite');
});
afterAll(() => reg.stop());

/** A gzip body of `mib` MiB of zeros: about a thousandth of that on the wire. */
async function bomb(mib: number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

/** A POST on a connection of its own (one the register closes early takes no other request with it). */
function post(path: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<{ status: number; json: () => Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${reg.server.url}${path}`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) as unknown }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : Buffer.from(body));
  });
}

/** The answer's status, or 'closed' when the register refused the body before it was all sent (it does not read what it will refuse). */
const refusal = async (r: Promise<{ status: number }>): Promise<number | 'closed'> => {
  try {
    return (await r).status;
  } catch {
    return 'closed';
  }
};

describe('the register under hostile input', () => {
  it('refuses a gzip bomb as too large without unpacking it, on the public enrolment and on a station\'s push', async () => {
    const small = await bomb(256);
    expect(small.length).toBeLessThan(BODY_LIMITS.sync);
    const before = process.memoryUsage().rss;
    expect([413, 'closed']).toContain(await refusal(post('/enrol', small, { 'Content-Encoding': 'gzip' })));
    // Within the enrolment's limit as sent, beyond it unpacked.
    const enrol = await post('/enrol', await bomb(1), { 'Content-Encoding': 'gzip' });
    expect(enrol.status).toBe(413);
    expect(((await enrol.json()) as { error: { code: string } }).error.code).toBe('register.too_large');
    const code = await reg.register.createEnrolmentCode({ stationName: 'Test', siteId: (await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' limit 1"))[0]!.id });
    const { token } = await reg.register.enrol(code);
    const push = await post('/sync/push', small, { 'Content-Encoding': 'gzip', Authorization: `Bearer ${token}` });
    expect(push.status).toBe(413);
    // Not one of the bomb's 256 MiB was held.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    // A body that is not gzip at all, and one larger than allowed as sent.
    expect((await post('/sync/push', 'not gzip', { 'Content-Encoding': 'gzip', Authorization: `Bearer ${token}` })).status).toBe(400);
    expect([413, 'closed']).toContain(await refusal(post('/enrol', JSON.stringify({ code: 'x'.repeat(BODY_LIMITS.enrol) }))));
    expect((await fetch(`${reg.server.url}/health`)).status).toBe(200);
  });

  it('takes only so many enrolment attempts a minute from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await post('/enrol', JSON.stringify({ code: `GUESS${i}XXXX` }))).status);
    expect(statuses.filter((s) => s === 403).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 403 || s === 429 || s === 413)).toBe(true);
    expect((await fetch(`${reg.server.url}/health`)).status).toBe(200);
  });
});
