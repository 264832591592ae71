import type { z } from 'zod';
import type { DepotError } from '../vocabulary/errors';
import type { StationDb } from '../db/open';
import type { Role } from '../db/schema';
import type { StationInfo } from '../db/station';
import type { EventHub } from '../services/events';
import type { PrintService } from '../services/printing';
import type { ScanService } from '../services/scanning';
import type { SyncEngine } from '../services/sync';
import type { WorkflowSessions } from '../services/workflows';

export interface Session {
  token: string;
  userId: string;
  name: string;
  role: Role;
  lastSeen: number;
  /** Opened at the unmanned depot's kiosk by a badge alone, whoever's badge: it may make the kiosk's calls only (`KIOSK_CALLS`). */
  kiosk?: boolean;
}

export interface HandlerContext {
  store: StationDb;
  station: StationInfo;
  events: EventHub;
  scanning: ScanService;
  /** The scanning workflows' sessions, one per user and workflow. */
  workflows: WorkflowSessions;
  printing: PrintService;
  sync: SyncEngine;
  /** Set when the start-up integrity check found the database damaged. */
  damaged: DepotError | null;
  /** The signed-in user; null only for public handlers. */
  session: Session | null;
  sessions: {
    open(user: { id: string; name: string; role: Role }, options?: { kiosk?: boolean }): Session;
    close(token: string): void;
    /** Ends every open session of the user (their sign-in was locked). */
    closeUser(userId: string): void;
    /** Ends every visit at the kiosk: a new badge, or the kiosk's settings changed. */
    closeKiosk(): void;
  };
  /** The station's clock (injectable, so tests of time-bound rules are deterministic). */
  now(): number;
}

/** Who may call a handler: anyone (sign-in itself), anyone signed in, or the listed roles. */
export type Access = 'public' | 'signed_in' | readonly Role[];

/** A call's input schema and what it does; who may make it is the role table's (`api/permissions.ts`). */
export interface Handler<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  run(ctx: HandlerContext, input: z.output<I>): O | Promise<O>;
}

export const handler = <I extends z.ZodType, O>(h: Handler<I, O>): Handler<I, O> => h;

/** A shared station signs its user out after this long without a call (supervisors change it). */
export const IDLE_MINUTES_DEFAULT = 15;
export const IDLE_KEY = 'station.idleMinutes';


/** Who is acting, where: the signed-in user at this station and its site. */
export const actor = (ctx: HandlerContext) => ({ userId: ctx.session!.userId, stationId: ctx.station.id, siteId: ctx.station.siteId });

const FILE_TYPES = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

/** A file for the screen to download: CSV text (UTF-8), or the bytes of an XLSX or PDF, as a data URL. */
export function dataUrl(type: keyof typeof FILE_TYPES, content: string | Uint8Array): string {
  return `data:${FILE_TYPES[type]};base64,${(typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)).toString('base64')}`;
}

/** Tells every screen that stock changed, and hands back what was posted (for undo). */
export function announcePosted(ctx: HandlerContext, movements: readonly { id: string; articleId: string }[]): { movementIds: string[] } {
  ctx.events.emit({ type: 'stock.changed', articleIds: [...new Set(movements.map((m) => m.articleId))], movementCount: movements.length });
  return { movementIds: movements.map((m) => m.id) };
}
