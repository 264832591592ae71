import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HeldScansHere, holdScansWhile, releaseHeldScans } from '../scanning/heldScans';

/**
 * A screen whose code is loaded when it is first opened, not with the station's first page: the
 * sign-in screen loads only what it needs. Scans that arrive while it loads are held for it
 * (scanning/heldScans.ts).
 */
// React's own `lazy` takes any component, whatever its props.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyScreen<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  return lazy(() => holdScansWhile(load).then((m) => ({ default: m[name] })));
}

/** How long a screen may take to load before the page says it is loading: a fast load shows nothing in between. */
export const LOADING_SHOWN_AFTER_MS = 300;

/** What a screen still loading shows: nothing at first, then a short line saying so. */
export function ScreenLoading() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), LOADING_SHOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <main id="main" className="page" aria-busy="true" data-testid="screen-loading">
      <p className="muted" role="status">
        {shown ? t('app.loadingScreen') : ''}
      </p>
    </main>
  );
}

/** Once the screen is shown, its handlers have heard the scans held while it loaded (effects run children first). */
function HandOver() {
  useEffect(() => releaseHeldScans(), []);
  return null;
}

/** Where a screen loaded on demand is shown: the loading line meanwhile, then the screen with the scans held for it. */
export function ScreenBoundary({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<ScreenLoading />}>
      <HeldScansHere value>{children}</HeldScansHere>
      <HandOver />
    </Suspense>
  );
}
