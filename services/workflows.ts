/**
 * The scanning workflows as sessions in the core, one per user and workflow. Screens open one,
 * send what is typed or ticked, and render the state this publishes as `workflow.state`; scans
 * come here from the scan service: a keyboard-wedge scan to the open workflow of the user whose
 * screen sent it, a scan from a scanner of the station's own to the open workflow of the user who
 * last opened or used one here while signed in. So a reload, a second screen or a serial scanner
 * with no screen at all change nothing: the session and its undo live here.
 */
import type { StationDb } from '../db/open';
import type { Role } from '../db/schema';
import type { StationInfo } from '../db/station';
import { individualLabelData, markLabelSent } from '../db/labels/data';
import type { PostedMovement } from '../db/stock/ledger';
import type { EffectEnv } from '../db/workflows/effects';
import type { SessionInput } from '../db/workflows/machines/session';
import { machineOf, type AnyWorkflowView, type WorkflowName } from '../db/workflows/machines/table';
import { activeWorkflow, closeWorkflow, closeWorkflowsOf, forgetWorkflow, isWorkflow, noteFault, openWorkflow, openWorkflowOf, workflowInput, workflowView, type Ran } from '../db/workflows/sessions';
import { DepotError } from '../vocabulary/errors';
import { individualLabel } from '../vocabulary/zpl';
import type { EventHub } from './events';
import type { PrintService } from './printing';
import type { ScanEvent } from './scanning';

/** Who is signed in at the station, as the core's sign-in sessions know it. */
export interface SignIns {
  /**
   * The user's role while they are signed in here (not at a kiosk), else null; null for everyone
   * while the station is a kiosk, whose scanner serves the person at the kiosk only. A scan does
   * not keep anyone signed in: only their own screen's calls do.
   */
  roleOf(userId: string): Role | null;
  /** The person at the kiosk (signed in by their badge, and not idle past the kiosk's time), if any. */
  atKiosk(): WorkflowUser | null;
}

/** Who works in a workflow: a user signed in here, by PIN, or at the kiosk by their badge alone. */
export interface WorkflowUser {
  userId: string;
  role: Role;
  kiosk?: boolean;
}

/** New individuals get their labels printed at once where a printer is set up; otherwise they wait in label_jobs. */
export function printIndividualLabels(store: StationDb, printing: PrintService, userId: string, individualIds: readonly string[]): number {
  if (individualIds.length === 0) return 0;
  const printer = printing.printerTaking('individual');
  if (!printer) return 0;
  for (const individualId of individualIds) {
    const d = individualLabelData(store, individualId);
    printing.enqueue({ printerId: printer.id, kind: 'individual', title: `Individ ${d.individualNumber}`, zpl: individualLabel(d, printer.dpi), userId });
    markLabelSent(store, individualId);
  }
  return individualIds.length;
}

/** The workflow a scanned command card opens, if it is one. */
function opensWorkflow(scan: ScanEvent): WorkflowName | null {
  const r = scan.resolution;
  if (r?.kind !== 'command' || !r.command.startsWith('open-')) return null;
  const name = r.command.slice('open-'.length);
  return isWorkflow(name) ? name : null;
}

const notForRole = (workflow: WorkflowName) =>
  new DepotError('workflow.forbidden', {
    sv: `Din roll får inte arbeta i det här arbetsflödet (${workflow}). Be en arbetsledare om hjälp.`,
    en: `Your role may not work in this workflow (${workflow}). Ask a supervisor for help.`,
  });

export class WorkflowSessions {
  constructor(
    private readonly store: StationDb,
    private readonly events: EventHub,
    private readonly station: () => StationInfo,
    private readonly printing: PrintService,
    private readonly signIns: SignIns,
    private readonly now: () => number = Date.now,
  ) {
    // Signed out (and signed in nowhere else here): the scanners of the station no longer feed their workflow.
    events.subscribe((e) => {
      if (e.type !== 'session.signedOut' || this.signIns.roleOf(e.userId) !== null) return;
      try {
        // The visit at the kiosk is over: the next one starts with an empty basket.
        if (this.signIns.atKiosk()?.userId !== e.userId) forgetWorkflow(store, e.userId, 'kiosk');
        for (const workflow of closeWorkflowsOf(store, e.userId)) events.emit({ type: 'workflow.state', view: workflowView(store, e.userId, workflow) });
      } catch (err) {
        console.error('closing the workflows of a user who signed out failed', err);
      }
    });
  }

  private actor(userId: string) {
    const s = this.station();
    return { userId, stationId: s.id, siteId: s.siteId };
  }

  /** The kiosk's workflow is for a badge's session at the kiosk only, and such a session has no other. */
  private mayUse(user: WorkflowUser, workflow: WorkflowName): boolean {
    if ((workflow === 'kiosk') !== (user.kiosk === true)) return false;
    return machineOf(workflow).access.includes(user.role);
  }

  /** A badge was scanned at the kiosk: a new visit, with an empty basket. */
  startKioskVisit(userId: string): void {
    forgetWorkflow(this.store, userId, 'kiosk');
  }

  /** The station's label printers, as the effects see them. */
  private readonly env: EffectEnv = {
    labelPrinter: (kind) => {
      const p = this.printing.printerTaking(kind);
      return p && { id: p.id, dpi: p.dpi };
    },
  };

  /** Tells the screens what changed: stock, labels to print, and the session's new state. */
  private publish(userId: string, ran: Ran, byCard = false): AnyWorkflowView {
    this.announce(userId, ran);
    this.events.emit({ type: 'workflow.state', view: ran.view, ...(byCard ? { byCard: true as const } : {}) });
    return ran.view;
  }

  private announce(userId: string, ran: Omit<Ran, 'view'>): void {
    const posted: readonly PostedMovement[] = ran.posted;
    if (posted.length) this.events.emit({ type: 'stock.changed', articleIds: [...new Set(posted.map((m) => m.articleId))], movementCount: posted.length });
    for (const countId of new Set(ran.changedCounts)) this.events.emit({ type: 'count.changed', countId });
    try {
      printIndividualLabels(this.store, this.printing, userId, ran.newIndividuals);
      for (const p of ran.prints) this.printing.enqueue({ ...p, userId });
    } catch (e) {
      // Printing is not the step: the step stands (new individuals' labels wait in label_jobs).
      console.error('printing labels failed', e);
    }
  }

  /**
   * Opens (or resumes) the user's session of a workflow; their scans go to it from now on. `byCard`:
   * a command card opened it (the screens of other workflows follow); a screen opening its own does not
   * pull another screen of the user's after it.
   */
  open(user: WorkflowUser, workflow: WorkflowName, byCard = false): AnyWorkflowView {
    if (!this.mayUse(user, workflow)) throw notForRole(workflow);
    return this.publish(user.userId, openWorkflow(this.store, this.actor(user.userId), workflow, this.now(), this.env), byCard);
  }

  /** Something typed, ticked or pressed on the screen (a quantity, a component, the undo button). */
  input(user: WorkflowUser, workflow: WorkflowName, input: SessionInput, seen?: number): AnyWorkflowView {
    if (!this.mayUse(user, workflow)) throw notForRole(workflow);
    return this.publish(user.userId, workflowInput(this.store, this.actor(user.userId), workflow, input, this.now(), this.env, seen));
  }

  view(userId: string, workflow: WorkflowName): AnyWorkflowView {
    return workflowView(this.store, userId, workflow);
  }

  /** The user left the workflow's screen: scans no longer go to it, and it waits where it is. */
  close(userId: string, workflow: WorkflowName): AnyWorkflowView {
    const view = closeWorkflow(this.store, userId, workflow);
    this.events.emit({ type: 'workflow.state', view });
    return view;
  }

  /**
   * A keyboard-wedge scan from a signed-in user's screen: to their open workflow, if any (which it
   * names). A workflow's command card opens that workflow for them.
   */
  scanFromScreen(user: WorkflowUser, scan: ScanEvent): WorkflowName | null {
    const opens = opensWorkflow(scan);
    if (opens) return this.openByCard(user, opens);
    const workflow = openWorkflowOf(this.store, user.userId);
    if (!workflow || !this.mayUse(user, workflow)) return null;
    this.feed(user.userId, workflow, scan);
    return workflow;
  }

  /**
   * A scan from one of the station's scanners: to the open workflow of the user active here, if
   * any (which it names). A workflow's command card switches that user to it.
   */
  scanFromScanner(scan: ScanEvent): WorkflowName | null {
    // At the kiosk, its scanner is the visitor's, for their basket only.
    const visitor = this.signIns.atKiosk();
    if (visitor) {
      if (openWorkflowOf(this.store, visitor.userId) !== 'kiosk' || opensWorkflow(scan)) return null;
      this.feed(visitor.userId, 'kiosk', scan);
      return 'kiosk';
    }
    const active = activeWorkflow(this.store, (userId) => this.signIns.roleOf(userId) !== null);
    if (!active) return null;
    const role = this.signIns.roleOf(active.userId);
    if (!role) return null;
    const opens = opensWorkflow(scan);
    if (opens) return this.openByCard({ userId: active.userId, role }, opens);
    if (!this.mayUse({ userId: active.userId, role }, active.workflow)) return null;
    this.feed(active.userId, active.workflow, scan);
    return active.workflow;
  }

  private openByCard(user: WorkflowUser, workflow: WorkflowName): WorkflowName | null {
    if (!this.mayUse(user, workflow)) return null;
    const before = openWorkflowOf(this.store, user.userId);
    try {
      this.open(user, workflow, true);
    } catch (e) {
      console.error(`workflow ${workflow} could not be opened by its card`, e);
      return null;
    }
    // The screens of the one left behind learn that it is no longer where the scans go.
    if (before && before !== workflow) this.events.emit({ type: 'workflow.state', view: workflowView(this.store, user.userId, before) });
    return workflow;
  }

  /** Never throws: a scanner's event has nowhere to take an error but the worker's feedback line. */
  private feed(userId: string, workflow: WorkflowName, scan: ScanEvent): void {
    const input: SessionInput = { kind: 'scan', text: scan.text, resolution: scan.resolution, error: scan.error };
    try {
      this.publish(userId, workflowInput(this.store, this.actor(userId), workflow, input, this.now(), this.env));
    } catch (e) {
      console.error(`workflow ${workflow} failed on a scan`, e);
      try {
        this.events.emit({ type: 'workflow.state', view: noteFault(this.store, userId, workflow, this.now()) });
      } catch (again) {
        console.error('workflow fault could not be noted', again);
      }
    }
  }
}
