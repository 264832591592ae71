import type { WorkflowName } from '../../db/workflows/machines/table';

/** The screen (route) of each workflow the core runs: where a scan it took, or a command card that opened it, takes the worker. */
export const WORKFLOW_SCREENS: Record<WorkflowName, string> = {
  receipt: 'receive',
  putaway: 'putaway',
  move: 'move',
  'move-all': 'move-all',
  pick: 'pick',
  return: 'return',
  pallet: 'pallet',
  'pallet-receipt': 'pallet-receive',
  restock: 'restock',
  count: 'counts',
  // The kiosk is a screen of its own, not a route.
  kiosk: 'scan',
  service: 'service',
};
