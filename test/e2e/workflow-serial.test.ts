/**
 * A serial scanner with no screen at all does a worker's run: goods receipt → putaway → picking,
 * driven only by scans on a real serial line (a socat pty pair) after one call to sign in and one
 * to open goods receipt; the workflow command cards switch to putaway and picking. The same run
 * through a screen with a keyboard-wedge scanner, on a copy of the same station, posts the same
 * movements: reason, article, from, to, quantity and individual.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStation, type Station } from '../../hosts/station';
import { uuidv7 } from '../../db/ids';
import { copyStation } from '../../db/open';
import type { StationDb } from '../../db/open';
import type { WorkflowName } from '../../db/workflows/machines/table';
import { signedIn, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, launchChromium, signIn } from './browser';
import { typeAsScanner, wedge } from './wedge';

let browser: Browser;
let seed: string;
let pty: PtyPair | null = null;
let serialStation: Station | null = null;

beforeAll(async () => {
  browser = await launchChromium();
  seed = tempDir('depot-e2e-serial-seed-');
  // One demo station, copied: the screen's run and the scanner's start from the same records.
  const s = startStation({ dataDir: seed, devices: false, quickCheck: 'skip' });
  await s.close();
});
afterAll(async () => {
  await serialStation?.close();
  await pty?.unplug().catch(() => undefined);
  await browser?.close();
});

const ORDER_ID = uuidv7();
const LINE_ID = uuidv7();
const ORDER_REF = 'KO-0099001';

/** What both runs need to know: the same in both copies. */
function plan(store: StationDb) {
  const one = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
  const site = one<{ site_id: string }>('select site_id from station').site_id;
  const line = one<{ po: string; gtin: string; articleId: string }>(
    `select p.po_number as po, g.gtin, a.id as articleId from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id
     join articles a on a.id = l.article_id join article_gtins g on g.article_id = a.id
     where a.rentable = 1 and p.site_id = ? order by p.po_number, l.line_no, g.gtin limit 1`,
    site,
  );
  // An order on a route for the article the receipt brings in.
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  store.sqlite
    .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-4713', 'Kalix vårdcentral', 'Kalix', 'Rutt Serie', ?, ?, ?)")
    .run(ORDER_ID, ORDER_REF, day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, site);
  store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(LINE_ID, ORDER_ID, line.articleId);
  const mark = one<{ n: number }>('select coalesce(max(rowid), 0) as n from movements').n;
  const received = () => one<{ n: string }>("select individual_number as n from individuals where serial_number = 'SN-SERIAL-1'").n;
  return { ...line, device: `]C101${line.gtin}21SN-SERIAL-1`, mark, received };
}

/** The run's movements (the ledger's rows after `mark`), in words that mean the same in both copies. */
function movementsAfter(store: StationDb, mark: number) {
  return store.sqlite
    .prepare(
      `select m.reason, a.article_number as article, f.code as "from", t.code as "to", m.quantity, i.individual_number as individual
       from movements m join articles a on a.id = m.article_id left join locations f on f.id = m.from_location_id
       left join locations t on t.id = m.to_location_id left join individuals i on i.id = m.individual_id
       where m.rowid > ? order by m.rowid`,
    )
    .all(mark);
}

const suggestedPlace = (station: Station, userId: string) => (station.api.workflows.view(userId, 'putaway').state as { suggestion: { code: string } | null }).suggestion?.code;

describe('a run by serial scanner alone', () => {
  it('receives, puts away and picks with no screen, posting what the same run through a screen posts', async () => {
    // 1. Through a screen, by keyboard wedge.
    const screenDir = tempDir('depot-e2e-serial-screen-');
    copyStation(seed, screenDir);
    const at = await browserStation({ dataDir: screenDir }, { browser });
    let screenRun: unknown[];
    try {
      const { page } = at;
      const p = plan(at.station.store);
      await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
      const user = at.station.store.sqlite.prepare("select id from users where name = 'Lena Nilsson'").get() as { id: string };
      const heading = (h: string, timeout?: number) => expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout }).toBe(h);
      const card = async (code: string, h: string) => {
        await typeAsScanner(page, code);
        await heading(h);
      };
      await page.evaluate(() => (location.hash = '#/receive'));
      await heading('Inleverans');
      await wedge(page, p.po);
      await wedge(page, p.device);
      await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('mottagen som ny individ');
      // The putaway card: the screen follows the core to putaway.
      await card('CMD-PUTAWAY', 'Inlagring');
      await wedge(page, p.received());
      await expect.poll(() => suggestedPlace(at.station, user.id)).toMatch(/-/);
      await wedge(page, suggestedPlace(at.station, user.id)!);
      await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('ligger nu på');
      await card('CMD-PICK', 'Plock');
      await wedge(page, ORDER_REF);
      await wedge(page, p.received());
      await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain(`plockad till ${ORDER_REF}`);
      screenRun = movementsAfter(at.station.store, p.mark);
    } finally {
      await at.close();
    }
    expect(screenRun.map((m) => (m as { reason: string }).reason)).toEqual(['receipt', 'put_away', 'pick']);

    // 2. A serial scanner alone, on a copy of the same station: one call signs in, one opens goods receipt.
    const dir = tempDir('depot-e2e-serial-scanner-');
    copyStation(seed, dir);
    pty = await ptyPair(dir);
    serialStation = startStation({ dataDir: dir });
    const station = serialStation;
    const p = plan(station.store);
    const saved = await (await signedIn(station.api, 'supervisor')).call('scanners.save', {
      scanners: [{ id: 's1', name: 'Handskanner', kind: 'serial', path: pty.station, baudRate: 9600, framing: { suffix: 'CRLF' }, enabled: true }],
    });
    expect(saved.ok).toBe(true);
    await expect.poll(async () => (await station.api.scanning.overview()).states[0]?.state).toBe('open');
    const worker = await signedIn(station.api, 'warehouse_worker');
    expect(await worker.call('workflow.open', { workflow: 'receipt' })).toMatchObject({ ok: true });
    const rev = (w: WorkflowName) => station.api.workflows.view(worker.user.id, w).rev;
    /** One scan on the serial line, answered by the session it goes to. */
    const scan = async (code: string, answers: WorkflowName) => {
      const before = rev(answers);
      pty!.write(`${code}\r\n`);
      await expect.poll(() => rev(answers)).toBeGreaterThan(before);
    };
    const said = (w: WorkflowName) => station.api.workflows.view(worker.user.id, w).feedback?.message.sv;
    await scan(p.po, 'receipt');
    await scan(p.device, 'receipt');
    expect(said('receipt')).toContain('mottagen som ny individ');
    await scan('CMD-PUTAWAY', 'putaway');
    await scan(p.received(), 'putaway');
    await scan(suggestedPlace(station, worker.user.id)!, 'putaway');
    expect(said('putaway')).toContain('ligger nu på');
    await scan('CMD-PICK', 'pick');
    await scan(ORDER_REF, 'pick');
    await scan(p.received(), 'pick');
    expect(said('pick')).toContain(`plockad till ${ORDER_REF}`);

    expect(movementsAfter(station.store, p.mark)).toEqual(screenRun);
    // Every step by the signed-in worker, at this station.
    const who = station.store.sqlite.prepare('select distinct user_id as u from movements where rowid > ?').all(p.mark);
    expect(who).toEqual([{ u: worker.user.id }]);
  });
});
