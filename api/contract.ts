/**
 * The one contract between the station core and every screen: handler name → input → result,
 * with the access each needs. Both transports (Electron IPC, browser-mode HTTP) carry exactly this.
 */
import type { z } from 'zod';
import type { UserMessage } from '../vocabulary/errors';
import { authHandlers } from './handlers/auth';
import { palletHandlers } from './handlers/pallets';
import { pickupHandlers } from './handlers/pickups';
import { lotHandlers } from './handlers/lots';
import { printHandlers } from './handlers/printing';
import { scanHandlers } from './handlers/scanning';
import { stationHandlers } from './handlers/station';
import { stockHandlers } from './handlers/stock';
import { syncHandlers } from './handlers/sync';
import { kioskHandlers } from './handlers/kiosk';
import { locationHandlers } from './handlers/locations';
import { serviceHandlers } from './handlers/service';
import { replenishmentHandlers } from './handlers/replenishment';
import { workflowHandlers } from './handlers/workflows';
import { countHandlers } from './handlers/counts';
import { auditHandlers } from './handlers/audit';
import { workshopHandlers } from './handlers/workshop';

export const handlers = {
  ...stationHandlers,
  ...countHandlers,
  ...auditHandlers,
  ...authHandlers,
  ...stockHandlers,
  ...scanHandlers,
  ...workflowHandlers,
  ...printHandlers,
  ...palletHandlers,
  ...pickupHandlers,
  ...lotHandlers,
  ...syncHandlers,
  ...replenishmentHandlers,
  ...kioskHandlers,
  ...locationHandlers,
  ...serviceHandlers,
  ...workshopHandlers,
};

export type Handlers = typeof handlers;
export type CallName = keyof Handlers;
export type CallInput<K extends CallName> = z.input<Handlers[K]['input']>;
export type CallOutput<K extends CallName> = Awaited<ReturnType<Handlers[K]['run']>>;

export interface ApiError {
  code: string;
  message: UserMessage;
  /** The input field the error is about, when there is one. */
  field?: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** What a client sends: the call, its input, and the session token from `auth.signIn`. */
export interface CallEnvelope {
  name: string;
  input: unknown;
  session?: string | null;
}
