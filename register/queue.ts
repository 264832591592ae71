/**
 * The site's reconditioning queue as the register keeps it: a service job with its steps, and a
 * wash batch with what is in it. Any station of the site may step a job; the register holds every
 * step once, replays them by the reconditioning flow (db/service/flow.ts) and keeps the job as they
 * leave it. Two stations that stepped the same job apart, or two technicians who took it, are
 * settled here: the first to reach the register stands, and the site is told who has it.
 */
import { SERVICE_STATES, transition, type ServiceAction, type ServiceState } from '../db/service/flow';
import { uuidv7 } from '../db/ids';
import { isWorkshopKind } from '../db/service/workshop-rules';
import type { Problem } from './checks';

type Row = Record<string, unknown>;

/** One step of a job as a station sends it. */
interface JobEvent {
  id: string;
  at: number;
  station_id: string;
  user_id: string;
  action: string;
  from_state: string;
  to_state: string;
  detail: string | null;
}

const FINAL: readonly string[] = ['ready', 'scrapped'];
const isState = (s: unknown): s is ServiceState => typeof s === 'string' && (SERVICE_STATES as readonly string[]).includes(s);
const isTime = (t: unknown): t is number => typeof t === 'number' && Number.isSafeInteger(t) && t > 0;
const shortText = (t: unknown, max: number) => typeof t === 'string' && t.length > 0 && t.length <= max;

export const badJob: Problem = {
  code: 'sync.bad_job',
  message: {
    sv: 'Rekonditioneringsjobbet från stationen är felaktigt och sparas inte. Kontakta IT om stationen.',
    en: 'The reconditioning job from the station is malformed and is not saved. Contact IT about this station.',
  },
};

function events(value: unknown): JobEvent[] | null {
  if (!Array.isArray(value) || value.length > 500) return null;
  const out: JobEvent[] = [];
  for (const e of value as Row[]) {
    if (typeof e !== 'object' || e === null) return null;
    if (!shortText(e.id, 64) || !isTime(e.at) || !shortText(e.station_id, 64) || !shortText(e.user_id, 64) || !shortText(e.action, 32)) return null;
    if (!isState(e.from_state) || !isState(e.to_state)) return null;
    if (e.detail !== null && e.detail !== undefined && (typeof e.detail !== 'string' || e.detail.length > 20_000)) return null;
    out.push({ ...(e as unknown as JobEvent), detail: (e.detail as string | null | undefined) ?? null });
  }
  return out;
}

const byTime = (a: JobEvent, b: JobEvent) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const STEPS = new Set(['send_to_cleaning', 'clean', 'inspect', 'start_repair', 'finish_repair', 'send_to_supplier', 'back_from_supplier', 'release', 'scrap']);

/** Where a job's steps leave it, replayed from `start` by the flow; null when they do not follow it. */
function replay(steps: readonly JobEvent[], start: ServiceState): { state: ServiceState; closedAt: number | null; doneAt: number | null } | null {
  let state = start;
  let closedAt: number | null = null;
  let doneAt: number | null = null;
  for (const [i, e] of steps.entries()) {
    if (closedAt !== null || e.from_state !== state) return null;
    if (e.action === 'open') {
      if (i !== 0 || e.to_state !== 'returned') return null;
      continue;
    }
    if (e.action === 'withdrawn') {
      if (state !== 'returned' || e.to_state !== 'returned') return null;
      closedAt = e.at;
      continue;
    }
    if (!STEPS.has(e.action)) return null;
    const action = (e.action === 'inspect' ? { kind: 'inspect', passed: e.to_state === 'inspected' } : { kind: e.action }) as ServiceAction;
    const next = transition(state, action);
    if (next === null || next !== e.to_state) return null;
    state = next;
    if (FINAL.includes(next)) closedAt = doneAt = e.at;
  }
  return { state, closedAt, doneAt };
}

/** What became of a pushed job: kept as merged, or a conflict to tell the site about (the register's copy stands). */
export type JobOutcome = { data: Row; conflict?: { reason: 'taken' | 'stepped'; keptBy: string | null } } | Problem;

/**
 * A station's copy of a job judged against the register's: its new steps must be its own and
 * follow the flow after every step already held; the job is what they leave. A take stands when
 * the job is free (first come); a step never gives a taken job back.
 */
export function mergeJob(id: string, data: Row, before: Row | undefined, stationId: string, known: (kind: 'user' | 'individual', id: string) => Row | undefined): JobOutcome {
  const pushed = events(data.events);
  if (!pushed || data.id !== id || !isState(data.state) || !['acute', 'urgent', 'normal'].includes(data.priority as string)) return badJob;
  if (!isTime(data.arrived_at) || !isTime(data.due_at)) return badJob;
  const individual = typeof data.individual_id === 'string' ? known('individual', data.individual_id) : undefined;
  if (!individual || (data.article_id !== null && data.article_id !== undefined && data.article_id !== individual.article_id)) return badJob;
  if (data.taken_by !== null && data.taken_by !== undefined && (typeof data.taken_by !== 'string' || !known('user', data.taken_by))) return badJob;
  if (before && (before.individual_id !== data.individual_id || before.site_id !== data.site_id)) return badJob;
  const held = before ? (events(before.events) ?? []) : [];
  const heldIds = new Set(held.map((e) => e.id));
  const fresh = pushed.filter((e) => !heldIds.has(e.id));
  // A station writes only its own steps, and a new job's first step is its opening.
  if (fresh.some((e) => e.station_id !== stationId)) return badJob;
  if (!before && pushed.length > 0 && [...pushed].sort(byTime)[0]!.action !== 'open') return badJob;
  const all = [...held, ...fresh].sort(byTime);
  // A job starts with its opening; one from before steps were kept (imported) starts where it stood.
  const firstHeld = [...held].sort(byTime)[0];
  const start: ServiceState =
    all[0]?.action === 'open' || !before ? 'returned' : firstHeld ? (firstHeld.from_state as ServiceState) : isState(before.state) ? before.state : 'returned';
  // The station's own copy must hold together: its steps lead to the state it says.
  const own = replay([...pushed].sort(byTime), pushed[0]?.action === 'open' ? 'returned' : start);
  if (!own || own.state !== data.state) return badJob;
  const end = replay(all, start);
  if (!end) {
    if (!before) return badJob;
    return { data: before, conflict: { reason: 'stepped', keptBy: (before.taken_by as string | null) ?? null } };
  }
  const minTime = (a: unknown, b: unknown) => (isTime(a) && isTime(b) ? Math.min(a, b) : isTime(a) ? a : isTime(b) ? b : null);
  const base = before ?? data;
  let takenBy = (data.taken_by as string | null | undefined) ?? null;
  const holder = (before?.taken_by as string | null | undefined) ?? null;
  let conflict: { reason: 'taken'; keptBy: string } | undefined;
  // A step leaves the job with whoever has it; a take of a job someone else has already taken loses.
  if (holder && takenBy === null && fresh.length > 0) takenBy = holder;
  else if (holder && takenBy !== null && takenBy !== holder) {
    conflict = { reason: 'taken', keptBy: holder };
    takenBy = holder;
  }
  const merged: Row = {
    ...base,
    state: end.state,
    started_at: minTime(before?.started_at, data.started_at),
    done_at: end.doneAt ?? (all.length === 0 ? ((base.done_at as number | null) ?? null) : null),
    closed_at: end.closedAt ?? (all.length === 0 ? ((base.closed_at as number | null) ?? null) : null),
    breached_at: (before?.breached_at as number | null | undefined) ?? (isTime(data.breached_at) ? data.breached_at : null),
    taken_by: takenBy,
    events: all,
  };
  return conflict ? { data: merged, conflict } : { data: merged };
}

/** A station's wash batch: its devices must be known; once closed it stays closed. */
export function mergeWashBatch(id: string, data: Row, before: Row | undefined, known: (kind: 'individual', id: string) => Row | undefined): { data: Row } | Problem {
  const items = data.items;
  if (data.id !== id || !shortText(data.cabinet, 100) || !shortText(data.method, 100) || !isTime(data.opened_at) || !Array.isArray(items) || items.length > 500) return badJob;
  for (const i of items as Row[]) if (typeof i !== 'object' || i === null || typeof i.individual_id !== 'string' || !known('individual', i.individual_id) || !isTime(i.added_at)) return badJob;
  if (before && (before.site_id !== data.site_id || before.opened_at !== data.opened_at)) return badJob;
  return { data: { ...data, closed_at: (before?.closed_at as number | null | undefined) ?? (isTime(data.closed_at) ? data.closed_at : null) } };
}

/** What a pushed change names that its judgement reads from the register (the user and devices of a job or a batch, the people of an unlock). */
export function namedBy(kind: string, data: Row | null): unknown[] {
  if (!data) return [];
  if (kind === 'sign_in_unlock') return [data.user_id, data.by_user_id];
  if (kind === 'lot') return [data.article_id];
  if (isWorkshopKind(kind)) return [data.changed_by, data.user_id, data.article_id, data.location_id];
  if (kind === 'gtin_link') return [data.changed_by, data.article_id];
  if (kind === 'article' || kind === 'setting' || kind === 'site' || kind === 'delivery_point') return [data.changed_by];
  if (kind === 'user') return [data.changed_by, data.site_id];
  if (kind === 'service_job') return [data.individual_id, data.taken_by];
  if (kind === 'wash_batch' && Array.isArray(data.items)) return (data.items as Row[]).map((i) => (typeof i === 'object' && i !== null ? i.individual_id : null));
  return [];
}

/**
 * The queue's changes in a pushed entry (checkEdits has made sure they are the station's own
 * site's): each job or batch as the register will keep it, and what the site is told when the
 * register's copy stood against it; or why the entry can never apply.
 */
export function judgeQueue(
  entry: { e?: [string, string, Row | null][] },
  station: { id: string; siteId: string; name: string },
  stored: Map<string, Row>,
  now: number,
): { merged: Map<string, Row>; flagged: { kind: 'conflict'; id: string; data: Row }[] } | Problem {
  const merged = new Map<string, Row>();
  const flagged: { kind: 'conflict'; id: string; data: Row }[] = [];
  const known = (kind: 'user' | 'individual', id: string) => stored.get(`${kind}\u0000${id}`);
  for (const [kind, id, data] of entry.e ?? []) {
    if (!data || (kind !== 'service_job' && kind !== 'wash_batch')) continue;
    const before = stored.get(`${kind}\u0000${id}`);
    if (kind === 'wash_batch') {
      const batch = mergeWashBatch(id, data, before, known);
      if (!('data' in batch)) return batch;
      merged.set(`${kind}\u0000${id}`, batch.data);
      continue;
    }
    const outcome = mergeJob(id, data, before, station.id, known);
    if (!('data' in outcome)) return outcome;
    merged.set(`${kind}\u0000${id}`, outcome.data);
    if (outcome.conflict) {
      const individual = known('individual', data.individual_id as string);
      const conflictId = uuidv7(now);
      flagged.push({
        kind: 'conflict',
        id: conflictId,
        data: {
          id: conflictId,
          job_id: id,
          site_id: station.siteId,
          reason: outcome.conflict.reason,
          individual_id: data.individual_id,
          individual_number: individual?.individual_number ?? null,
          kept_by: outcome.conflict.keptBy,
          station_id: station.id,
          station_name: station.name,
          at: now,
        },
      });
    }
  }
  return { merged, flagged };
}
