import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../services/sync';
import { call, subscribe } from '../../bridge/client';

/** The station's link to the register as it changes: online, what waits, the first copy's progress. */
export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    call('sync.status', {}).then((s) => live && setStatus(s), () => undefined);
    const off = subscribe((e) => e.type === 'sync.status' && setStatus(e.status));
    return () => {
      live = false;
      off();
    };
  }, []);
  return status;
}
