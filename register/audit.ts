/**
 * The stations' audit trails, kept at the register: each station's entries in the station's
 * order, each once, every entry checked against the one before it (the chain of db/audit-chain.ts,
 * keyed by the station's chain key from its first push on).
 */
import { CHAIN_START, chainHash, nextLink, type ChainedEntry, type ChainState } from '../db/audit-chain';
import type { AuditPushResponse, AuditTuple } from '../db/sync/wire';
import { RegisterError, type RegisterContext, type StationRecord } from './context';
import { insertRows } from './sql';
import type { Sql } from './store';

/**
 * Keeps a station's audit entries in the station's order, each once, checking every entry
 * against the one before it; an entry that does not follow is kept, marked, and reported back.
 * A skipped number stops the batch there; the answer says where to go on from.
 */
export async function receiveAudit(
  { db, options }: RegisterContext,
  station: StationRecord,
  entries: readonly AuditTuple[],
  key: string | undefined,
  stationHead: { seq: number; hash: string | null } | null = null,
): Promise<AuditPushResponse> {
  const now = options.now();
  return db.tx(async (q) => {
    // The station's chain key, kept from its first push: a push with another key is not this station's trail.
    const keyName = `audit_key:${station.id}`;
    if (key) await q.run('insert into meta (key, value) values ($1, $2) on conflict (key) do nothing', [keyName, key]);
    const [kept] = await q.all<{ value: string }>('select value from meta where key = $1', [keyName]);
    if (key && kept!.value !== key)
      throw new RegisterError(
        'sync.audit_key',
        {
          sv: 'Stationens granskningslogg är kedjad med en annan nyckel än tidigare och tas inte emot. Kontakta IT om stationen.',
          en: "The station's audit trail is chained with another key than before and is not accepted. Contact IT about this station.",
        },
        409,
      );
    // A station from before keyed chains sends no key: its unkeyed links still check.
    const chainKey = Buffer.from(kept?.value ?? '', 'hex');
    const [top] = await q.all<{ seq: number | null }>('select max(seq) as seq from audit_entries where station_id = $1', [station.id]);
    let last = Number(top?.seq ?? 0);
    let state = await auditState(q, station.id, chainKey);
    const rows: unknown[][] = [];
    const broken: number[] = [];
    for (const t of [...entries].sort((a, b) => a[0] - b[0])) {
      if (t[0] <= last) continue;
      if (t[0] > last + 1) break;
      const [seq, id, at, stationId, userId, action, entity, entityId, detail, hash] = t;
      const link = nextLink(chainKey, state, { id, at, stationId, userId, action, entity, entityId, detail, hash });
      // A station's trail holds only what was done at it: an entry naming another station is not its own.
      const ok = link.ok && stationId === station.id;
      if (!ok) broken.push(seq);
      rows.push([station.id, seq, id, at, stationId, userId, action, entity, entityId, detail, hash, ok ? 1 : 0, now]);
      state = link.state;
      last = seq;
    }
    await insertRows(
      q,
      'insert into audit_entries (station_id, seq, id, at, recorded_station_id, user_id, action, entity, entity_id, detail, hash, chain_ok, received_at)',
      13,
      rows,
    );
    if (stationHead) {
      // Behind the register's last, or another entry at its number: rewritten or shortened at the station.
      const [mine] = await q.all<{ hash: string | null }>('select hash from audit_entries where station_id = $1 and seq = $2', [station.id, stationHead.seq]);
      if (stationHead.seq < last || (mine && mine.hash !== stationHead.hash)) broken.push(stationHead.seq);
    }
    if (broken.length > 0) console.warn(`station ${station.name}: audit entries ${broken.join(', ')} do not follow from the entries before them`);
    const [head] = await q.all<{ seq: number; hash: string | null }>('select seq, hash from audit_entries where station_id = $1 and seq = $2', [station.id, last]);
    return { last, broken, head: head ? { seq: Number(head.seq), hash: head.hash } : null };
  });
}

/**
 * Where the walk along a station's trail stands after the entries the register holds: the last
 * hash, and whether the chain is keyed by then (the last entry a keyed link, or one that did not
 * check, after which only keyed links count).
 */
async function auditState(q: Sql, stationId: string, key: Buffer): Promise<ChainState> {
  const cols = `seq, id, at, recorded_station_id as "stationId", user_id as "userId", action, entity, entity_id as "entityId", detail, hash, chain_ok`;
  type Held = ChainedEntry & { seq: number; chain_ok: number };
  const [last] = await q.all<Held>(`select ${cols} from audit_entries where station_id = $1 and hash is not null order by seq desc limit 1`, [stationId]);
  if (!last) return CHAIN_START;
  const [before] = await q.all<Held>(`select ${cols} from audit_entries where station_id = $1 and seq < $2 and hash is not null order by seq desc limit 1`, [stationId, last.seq]);
  const [after] = await q.all<{ n: number }>('select count(*) as n from audit_entries where station_id = $1 and seq > $2', [stationId, last.seq]);
  // Entries without a hash after the last with one did not check; only keyed links count after them.
  const keyed =
    Number(after!.n) > 0 ||
    Number(last.chain_ok) === 0 ||
    last.hash === chainHash(key, before?.hash ?? CHAIN_START.prev, { ...last, at: Number(last.at) });
  return { prev: last.hash!, sealed: true, keyed };
}
