/**
 * What the register flagged for this station's supervisor: entries it rejected, devices two
 * stations moved while offline, and jobs of the site's queue two stations took or stepped at once. Listed in words to act on, and resolved by a supervisor.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';

export interface SyncIssue {
  id: string;
  kind: 'rejection' | 'conflict';
  at: number;
  message: { sv: string; en: string };
  resolvedAt: number | null;
}

export function listSyncIssues(store: StationDb, resolved: boolean): SyncIssue[] {
  const rows = stmt<{ id: string; kind: 'rejection' | 'conflict'; data: string; at: number; resolved_at: number | null }>(
    store,
    `select id, kind, data, at, resolved_at from sync_issues where (resolved_at is not null) = ? order by at desc limit 500`,
  ).all(resolved ? 1 : 0);
  const locationOf = stmt<{ code: string }>(store, 'select l.code from movements m join locations l on l.id = m.to_location_id where m.id = ?');
  const userName = stmt<{ name: string }>(store, 'select name from users where id = ?');
  return rows.map((r) => {
    const d = JSON.parse(r.data) as Record<string, unknown>;
    let message: { sv: string; en: string };
    if (r.kind === 'rejection') {
      const why = d.message as { sv: string; en: string };
      const count = Array.isArray(d.movements) ? d.movements.length : null;
      message = {
        sv: `Registret avvisade post ${d.n as number}${count ? ` (${count} ${count === 1 ? 'rörelse' : 'rörelser'})` : ''}: ${why.sv}`,
        en: `The register rejected entry ${d.n as number}${count ? ` (${count} ${count === 1 ? 'movement' : 'movements'})` : ''}: ${why.en}`,
      };
    } else if (typeof d.job_id === 'string') {
      const who = typeof d.kept_by === 'string' ? userName.get(d.kept_by)?.name : undefined;
      const number = (d.individual_number as string | null) ?? '';
      message =
        d.reason === 'taken'
          ? {
              sv: `Jobbet för ${number} togs av två tekniker samtidigt. ${who ? `${who} tog det först och har det.` : 'Den som tog det först har det.'}`,
              en: `The job for ${number} was taken by two technicians at once. ${who ? `${who} took it first and has it.` : 'Whoever took it first has it.'}`,
            }
          : {
              sv: `Jobbet för ${number} stegades på två stationer utan nät (${d.station_name as string}). Registret behöll stegen som kom först; se jobbets historik och gör om steget om det behövs.`,
              en: `The job for ${number} was stepped at two stations while offline (${d.station_name as string}). The register kept the steps that came first; see the job's history and do the step again if needed.`,
            };
    } else {
      const kept = typeof d.kept === 'string' ? locationOf.get(d.kept)?.code : undefined;
      message = {
        sv: `Individ ${d.individual_number as string} flyttades av två stationer utan nät. Registret behöll den senaste flytten${kept ? ` (till ${kept})` : ''}. Kontrollera var den står.`,
        en: `Individual ${d.individual_number as string} was moved by two stations while offline. The register kept the latest move${kept ? ` (to ${kept})` : ''}. Check where it is.`,
      };
    }
    return { id: r.id, kind: r.kind, at: r.at, message, resolvedAt: r.resolved_at };
  });
}

export function resolveSyncIssue(store: StationDb, id: string, userId: string): boolean {
  return stmt(store, 'update sync_issues set resolved_at = ?, resolved_by = ? where id = ? and resolved_at is null').run(Date.now(), userId, id).changes > 0;
}
