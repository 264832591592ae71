import { useEffect, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../api/contract';
import { call, subscribe } from '../bridge/client';

/** Loads a call's result, and loads it again when stock changes. */
export function useCall<K extends CallName>(name: K, input: CallInput<K> | null, deps: unknown[]) {
  const [data, setData] = useState<CallOutput<K> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => subscribe((e) => e.type === 'stock.changed' && setTick((n) => n + 1)), []);
  useEffect(() => {
    if (input === null) return;
    let live = true;
    call(name, input).then(
      (v) => live && (setData(v), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data, error };
}
