import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { seeded } from './random';

const DAY = 86_400_000;

/**
 * Preventive maintenance in the demo: lifts inspected yearly and slings every six months, beds
 * checked yearly; most devices were done within their interval, about one in ten is due.
 * Technicians are trained for the families they work on.
 */
export function seedMaintenance(store: StationDb, seed = 9999): void {
  const sq = store.sqlite;
  const { rnd } = seeded(seed + 29);
  const now = Date.now();
  sq.transaction(() => {
    const plans = [
      { id: uuidv7(), name: 'Personlyft, årlig besiktning', iso: '1236', days: 365 },
      { id: uuidv7(), name: 'Lyftsele, halvårskontroll', iso: '123621', days: 182 },
      { id: uuidv7(), name: 'Säng, årlig kontroll', iso: '181210', days: 365 },
    ];
    const insPlan = sq.prepare('insert into maintenance_plans (id, name, iso_prefix, interval_days) values (?, ?, ?, ?)');
    for (const p of plans) insPlan.run(p.id, p.name, p.iso, p.days);
    const techs = sq.prepare("select id, name from users where role = 'technician' order by name").all() as { id: string; name: string }[];
    const train = sq.prepare('insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)');
    techs.forEach((t, i) => {
      train.run(t.id, '1812');
      if (i === 0) train.run(t.id, '1236');
    });
    const signer = techs[0]?.id;
    if (!signer) return;
    const insRecord = sq.prepare('insert into maintenance_records (id, plan_id, individual_id, done_at, user_id) values (?, ?, ?, ?, ?)');
    for (const p of plans) {
      const inds = sq.prepare("select i.id from individuals i join articles a on a.id = i.article_id where a.iso_code like ? || '%'").all(p.iso) as { id: string }[];
      for (const i of inds) if (rnd() > 0.1) insRecord.run(uuidv7(), p.id, i.id, now - Math.floor(rnd() * (p.days - 20)) * DAY, signer);
    }
  })();
}
