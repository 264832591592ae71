/**
 * The workshop in the demo (and in an older large dataset that lacks it): inspection checklists per
 * article family, a maintenance plan by operating hours with meter readings, spare parts on the
 * central store's spare-parts shelves with reorder settings, a few repairs of devices out with
 * patients and of a municipality's own device, and the reconditioning history the ledger tells:
 * every return became a service job, closed when the device was released or scrapped, still open
 * when it is in the returns, washing or workshop zone now.
 */
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { ServiceState } from '../service/flow';
import { clockState, serviceClock, type Priority } from '../service/levels';
import { seeded } from './random';
import { INSERT_MOVEMENT, type Movement } from '../sync/wire';

const DAY = 86_400_000;

const q = (id: string, sv: string, en: string) => ({ id, sv, en });
const GENERAL = [
  q('clean', 'Rengjord, inga rester eller fläckar', 'Clean, no residue or stains'),
  q('label', 'Individmärkning hel och läsbar', 'Individual label intact and readable'),
  q('damage', 'Inga sprickor, vassa kanter eller lösa delar', 'No cracks, sharp edges or loose parts'),
  q('manual', 'Bruksanvisning medföljer', 'User manual included'),
];
const CHECKLISTS: { name: string; iso: string; questions: ReturnType<typeof q>[] }[] = [
  { name: 'Allmän kontroll', iso: '', questions: GENERAL },
  {
    name: 'Rollator',
    iso: '120606',
    questions: [...GENERAL, q('brakes', 'Bromsar tar jämnt på båda sidor', 'Brakes grip evenly on both sides'), q('wheels', 'Hjul snurrar fritt, inget glapp', 'Wheels turn freely, no play'), q('fold', 'Fällning och låsning fungerar', 'Folding and locking work')],
  },
  {
    name: 'Manuell rullstol',
    iso: '1222',
    questions: [
      ...GENERAL,
      q('brakes', 'Parkeringsbromsar håller i lutning', 'Parking brakes hold on a slope'),
      q('tyres', 'Däck och lufttryck', 'Tyres and pressure'),
      q('upholstery', 'Sits och rygg hela', 'Seat and back intact'),
      q('antitip', 'Tippskydd på plats', 'Anti-tippers in place'),
    ],
  },
  {
    name: 'Elrullstol',
    iso: '1223',
    questions: [
      ...GENERAL,
      q('battery', 'Batteri laddar och håller', 'Battery charges and holds'),
      q('control', 'Styrning och nödstopp', 'Controls and emergency stop'),
      q('brakes', 'Motorbromsar', 'Motor brakes'),
      q('lights', 'Belysning och signal', 'Lights and horn'),
    ],
  },
  {
    name: 'Säng',
    iso: '1812',
    questions: [...GENERAL, q('motor', 'Alla motorer, hela slaglängden', 'Every motor, full travel'), q('handset', 'Handkontroll och spärrfunktion', 'Handset and lock-out'), q('rails', 'Sänggrindar låser', 'Bed rails lock'), q('castors', 'Hjul och centralbroms', 'Castors and central brake')],
  },
  {
    name: 'Personlyft',
    iso: '1236',
    questions: [
      ...GENERAL,
      q('load', 'Lyft med provlast', 'Lift with test load'),
      q('lowering', 'Nödsänkning fungerar', 'Emergency lowering works'),
      q('strap', 'Lyftband utan slitage', 'Lifting strap without wear'),
      q('battery', 'Batteri och laddare', 'Battery and charger'),
    ],
  },
];

const PARTS: { name: string; iso: string; price: number; stock: number }[] = [
  { name: 'Reservdel: drivhjul 24" komplett, manuell rullstol', iso: '122203', price: 1450, stock: 12 },
  { name: 'Reservdel: länkhjul 200 mm, manuell rullstol', iso: '122203', price: 320, stock: 40 },
  { name: 'Reservdel: bromsvajer, rollator', iso: '120606', price: 95, stock: 60 },
  { name: 'Reservdel: handtagsgrepp, rollator (par)', iso: '120606', price: 120, stock: 50 },
  { name: 'Reservdel: batteri 12 V 50 Ah, elrullstol', iso: '122303', price: 1900, stock: 16 },
  { name: 'Reservdel: laddare 24 V, elrullstol', iso: '122303', price: 1600, stock: 6 },
  { name: 'Reservdel: joystickmodul, elrullstol', iso: '122303', price: 3800, stock: 4 },
  { name: 'Reservdel: handkontroll, vårdsäng', iso: '181210', price: 900, stock: 14 },
  { name: 'Reservdel: ställdon till sängbotten', iso: '181210', price: 2400, stock: 5 },
  { name: 'Reservdel: lyftband, personlyft', iso: '123603', price: 750, stock: 10 },
  { name: 'Reservdel: nödsänkningsbatteri, personlyft', iso: '123603', price: 450, stock: 12 },
  { name: 'Reservdel: tippskydd, manuell rullstol (par)', iso: '122203', price: 380, stock: 20 },
];

const STATE_OF: Record<string, ServiceState> = { return: 'returned', to_cleaning: 'awaiting_cleaning', to_reconditioning: 'cleaned' };

/** Fills in the workshop once; does nothing when the database has checklists already. */
export function seedWorkshop(store: StationDb, seed = 9999): void {
  const sq = store.sqlite;
  if (sq.prepare('select 1 from inspection_checklists limit 1').get()) return;
  const { rnd, between } = seeded(seed + 41);
  const now = Date.now();
  sq.transaction(() => {
    const insList = sq.prepare('insert into inspection_checklists (id, name, article_id, iso_prefix, questions) values (?, ?, null, ?, ?)');
    for (const c of CHECKLISTS) insList.run(uuidv7(), c.name, c.iso, JSON.stringify(c.questions));

    // Powered wheelchairs: a service every 500 operating hours, read from the meter at each inspection.
    const planId = uuidv7();
    sq.prepare('insert into maintenance_plans (id, name, iso_prefix, interval_days, interval_hours) values (?, ?, ?, null, 500)').run(planId, 'Elrullstol, service var 500:e drifttimme', '1223');
    const techs = sq.prepare("select id from users where role = 'technician' order by name").all() as { id: string }[];
    const tech = techs[0]?.id;
    const central = sq.prepare("select id, code from sites where kind = 'central_store' order by code limit 1").get() as { id: string; code: string } | undefined;
    if (!tech || !central) return;
    for (const t of techs) sq.prepare('insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)').run(t.id, '1223');
    const insReading = sq.prepare('insert or ignore into hour_readings (individual_id, at, hours, user_id) values (?, ?, ?, ?)');
    const insRecord = sq.prepare('insert into maintenance_records (id, plan_id, individual_id, done_at, user_id, hours) values (?, ?, ?, ?, ?, ?)');
    for (const i of sq.prepare("select i.id from individuals i join articles a on a.id = i.article_id where a.iso_code like '1223%' and i.status <> 'scrapped'").all() as { id: string }[]) {
      const serviced = between(0, 1500);
      insRecord.run(uuidv7(), planId, i.id, now - between(30, 300) * DAY, tech, serviced);
      // Most have used far less than 500 hours since; about one in twelve is due.
      insReading.run(i.id, now - between(1, 30) * DAY, serviced + (rnd() < 0.08 ? between(480, 560) : between(10, 400)), tech);
    }

    // Spare parts on the central store's spare-parts shelves.
    const zone = sq.prepare("select id from locations where site_id = ? and kind = 'spare_parts' and level = 'zone' order by code limit 1").get(central.id) as { id: string } | undefined;
    // Posted by the central store's own station, like the rest of its history.
    const station = sq
      .prepare('select m.station_id as id from movements m join locations l on l.id = m.to_location_id where l.site_id = ? limit 1')
      .get(central.id) as { id: string } | undefined;
    if (zone && station) {
      const insLoc = sq.prepare("insert into locations (id, site_id, parent_id, code, name, level, kind) values (?, ?, ?, ?, ?, 'bin', 'spare_parts')");
      const bins = [1, 2, 3, 4].map((n) => {
        const id = uuidv7();
        insLoc.run(id, central.id, zone.id, `${central.code}-S-0${n}`, `Reservdelshylla ${n}`);
        return id;
      });
      const edition = (sq.prepare('select iso_edition as e from articles limit 1').get() as { e: string }).e;
      const insArticle = sq.prepare(
        `insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking)
         values (?, ?, ?, ?, ?, ?, 0, 'st', 'Nordisk Rehab AB', ?, 'none')`,
      );
      const insGtin = sq.prepare('insert into article_gtins (gtin, article_id) values (?, ?)');
      const user = (sq.prepare("select id from users where role = 'warehouse_worker' order by name limit 1").get() as { id: string }).id;
      let seq = (sq.prepare('select coalesce(max(seq), 0) as s from movements where station_id = ?').get(station.id) as { s: number }).s;
      const insMove = sq.prepare(INSERT_MOVEMENT);
      const insSetting = sq.prepare(
        `insert or replace into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at)
         values (?, ?, 1, ?, ?, ?, 10, 0, ?)`,
      );
      PARTS.forEach((p, n) => {
        const id = uuidv7();
        const body = `7350999${String(n + 1).padStart(5, '0')}`;
        insArticle.run(id, `A9${String(n + 1).padStart(5, '0')}`, p.name, p.name.toLocaleLowerCase('sv-SE'), p.iso, edition, p.price * 100);
        insGtin.run(`0${body}${gs1CheckDigit(body)}`, id);
        const at = now - between(20, 60) * DAY;
        const receipt: Movement = {
          id: uuidv7(at),
          stationId: station.id,
          seq: ++seq,
          userId: user,
          occurredAt: at,
          recordedAt: at,
          articleId: id,
          individualId: null,
          lot: null,
          fromLocationId: null,
          toLocationId: bins[n % bins.length]!,
          quantity: p.stock,
          reason: 'receipt',
          orderRef: null,
          reverses: null,
        };
        insMove.run(receipt);
        insSetting.run(id, central.id, Math.ceil(p.stock / 3), Math.ceil(p.stock / 6), p.stock, now);
      });
    }

    seedServiceHistory(store, now);

    // Repairs out in the field.
    const onLoan = sq.prepare("select i.id, (select m.order_ref from movements m where m.individual_id = i.id and m.reason = 'delivery' order by m.occurred_at desc limit 1) as ref from individuals i join articles a on a.id = i.article_id where i.status = 'on_loan' and a.iso_code like '12%' order by i.individual_number limit 2").all() as { id: string; ref: string | null }[];
    const insWo = sq.prepare(
      `insert into work_orders (id, number, site_id, origin, individual_id, device, owner, place, priority, due_at, fault, state, opened_at, opened_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    );
    const insEvent = sq.prepare("insert into work_order_events (id, work_order_id, at, station_id, user_id, kind, detail) values (?, ?, ?, ?, ?, 'open', ?)");
    const field: { origin: string; individual: string | null; device: string | null; owner: string | null; place: string | null; priority: Priority; fault: string }[] = [
      ...onLoan.map((o, i) => ({ origin: 'on_loan', individual: o.id, device: null, owner: null, place: o.ref, priority: (i === 0 ? 'acute' : 'urgent') as Priority, fault: i === 0 ? 'Laddar inte, brukaren står utan' : 'Broms tar snett' })),
      { origin: 'municipality', individual: null, device: 'Duschtoalettstol, kommunens egen, serienr DK-4471', owner: 'Bodens kommun, hemtjänsten', place: 'Korttidsboendet Björkgården', priority: 'normal', fault: 'Tippfunktionen kärvar' },
    ];
    field.forEach((w, i) => {
      const at = now - between(2, 30) * 3_600_000;
      const id = uuidv7(at);
      insWo.run(id, `AO-${central.code}-D${String(i + 1).padStart(5, '0')}`, central.id, w.origin, w.individual, w.device, w.owner, w.place, w.priority, serviceClock(w.priority, at).due, w.fault, at, tech);
      insEvent.run(uuidv7(at), id, at, station?.id ?? 'demo', tech, JSON.stringify({ origin: w.origin, fault: w.fault, priority: w.priority }));
    });
  })();
}

/**
 * Service jobs from the ledger: each return opened one (its priority drawn from a fixed share:
 * 5 % acute, 25 % urgent, the rest normal), started when the device was washed, done when it was
 * released or scrapped; breaches recorded where the clock says so.
 */
function seedServiceHistory(store: StationDb, now: number): void {
  const sq = store.sqlite;
  const rows = sq
    .prepare(
      `select r.individual_id as individualId, r.article_id as articleId, l.site_id as siteId, r.occurred_at as arrivedAt,
         (select min(m.occurred_at) from movements m where m.individual_id = r.individual_id and m.occurred_at > r.occurred_at and m.reason in ('to_cleaning', 'to_reconditioning')) as washedAt,
         (select m.reason || ':' || m.occurred_at from movements m where m.individual_id = r.individual_id and m.occurred_at > r.occurred_at and m.reason not in ('to_cleaning', 'to_reconditioning') order by m.occurred_at limit 1) as next,
         (select m.reason from movements m where m.individual_id = r.individual_id order by m.occurred_at desc limit 1) as lastReason
       from movements r join locations l on l.id = r.to_location_id
       where r.reason = 'return' and r.individual_id is not null and l.kind = 'returns'`,
    )
    .all() as { individualId: string; articleId: string; siteId: string; arrivedAt: number; washedAt: number | null; next: string | null; lastReason: string }[];
  const ins = sq.prepare(
    `insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at, started_at, done_at, breached_at, closed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  rows.forEach((r, n) => {
    const priority: Priority = n % 20 === 0 ? 'acute' : n % 4 === 1 ? 'urgent' : 'normal';
    const due = serviceClock(priority, r.arrivedAt).due;
    const [reason, atText] = r.next?.split(':') ?? [];
    const closed = reason === 'ready' || reason === 'scrap' ? Number(atText) : null;
    // Still in the returns, washing or workshop zone: an open job in the state its zone says.
    if (closed === null && (r.next !== null || !STATE_OF[r.lastReason])) return;
    const state: ServiceState = closed === null ? STATE_OF[r.lastReason]! : reason === 'scrap' ? 'scrapped' : 'ready';
    const job = { startedAt: r.washedAt ?? closed, doneAt: closed };
    const breached = clockState(priority, r.arrivedAt, now, job) === 'breached' ? Math.min(due, now) : null;
    ins.run(uuidv7(r.arrivedAt), r.individualId, r.articleId, r.siteId, state, priority, r.arrivedAt, due, job.startedAt, closed, breached, closed);
  });
  // Worn-out devices taken straight into the workshop and scrapped there.
  const scrapped = sq
    .prepare(
      `select s.individual_id as individualId, s.article_id as articleId, l.site_id as siteId, w.occurred_at as arrivedAt, s.occurred_at as doneAt
       from movements s join movements w on w.individual_id = s.individual_id and w.to_location_id = s.from_location_id and w.reason = 'to_reconditioning'
         join locations l on l.id = s.from_location_id
       where s.reason = 'scrap' and s.individual_id is not null
         and not exists (select 1 from movements r where r.individual_id = s.individual_id and r.reason = 'return' and r.occurred_at < s.occurred_at and r.occurred_at > w.occurred_at - ${30 * DAY})`,
    )
    .all() as { individualId: string; articleId: string; siteId: string; arrivedAt: number; doneAt: number }[];
  for (const r of scrapped) {
    const due = serviceClock('normal', r.arrivedAt).due;
    ins.run(uuidv7(r.arrivedAt), r.individualId, r.articleId, r.siteId, 'scrapped', 'normal', r.arrivedAt, due, r.arrivedAt, r.doneAt, null, r.doneAt);
  }
}
