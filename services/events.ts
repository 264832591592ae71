import type { UserMessage } from '../vocabulary/errors';
import type { ScannerState } from '../drivers/scanner/manager';
import type { PrintJob } from './printing';
import type { ScanEvent } from './scanning';
import type { SyncStatus } from './sync';
import type { AnyWorkflowView } from '../db/workflows/machines/table';

/** Push events from the station core to every open screen, through `subscribe`. */
export type StationEvent =
  | { type: 'stock.changed'; articleIds: string[]; movementCount: number }
  | { type: 'session.signedOut'; userId: string }
  | { type: 'station.damaged'; message: UserMessage }
  | { type: 'scan'; scan: ScanEvent }
  | { type: 'scanner.status'; status: ScannerState }
  | { type: 'print.job'; job: PrintJob }
  | { type: 'sync.status'; status: SyncStatus }
  | { type: 'count.changed'; countId: string }
  /** A workflow session's new state, for the screens of the user whose session it is (`view.userId`). */
  /** `byCard`: a command card scanned opened it, and the screens of the user's other workflows follow it there. */
  | { type: 'workflow.state'; view: AnyWorkflowView; byCard?: true };

export type EventListener = (event: StationEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StationEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        console.error('event listener failed', e);
      }
    }
  }
}
