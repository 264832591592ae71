import { Component, lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HeldScansHere, ScanHolder } from '../scanning/heldScans';

/**
 * A screen whose code is loaded when it is first opened, not with the station's first page: the
 * sign-in screen loads only what it needs. Scans that arrive while it loads are held for it
 * (scanning/heldScans.ts).
 */
// React's own `lazy` takes any component, whatever its props.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyScreen<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  const preload = () => load().then((m) => m[name]);
  return Object.assign(
    lazy(() => preload().then((c) => ({ default: c }))),
    /** Loads the screen's code ahead of its first opening (the screens a scan opens, once someone has signed in); resolves to the screen. */
    { preload },
  );
}

/** Loads a lazily loaded screen's code now, if it is one; resolves to the screen's component. */
export const preloadScreen = (type: unknown): Promise<unknown> =>
  typeof type === 'object' && type !== null && 'preload' in type ? (type as { preload: () => Promise<unknown> }).preload() : Promise.resolve(type);

/** How long a screen may take to load before the page says it is loading: a fast load shows nothing in between. */
export const LOADING_SHOWN_AFTER_MS = 300;

/** What a screen still loading shows: nothing at first, then a short line saying so. Scans are held while it is up. */
export function ScreenLoading({ holder }: { holder?: ScanHolder }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), LOADING_SHOWN_AFTER_MS);
    return () => clearTimeout(timer);
  }, []);
  useEffect(() => holder?.hold(), [holder]);
  return (
    <main id="main" className="page" aria-busy="true" data-testid="screen-loading">
      <p className="muted" role="status">
        {shown ? t('app.loadingScreen') : ''}
      </p>
    </main>
  );
}

/** Once the screen is shown, its handlers have heard the scans held while it loaded (effects run children first). */
function HandOver({ holder }: { holder: ScanHolder }) {
  useEffect(() => holder.clear(), [holder]);
  return null;
}

/**
 * A screen whose code could not be loaded (the station was updated while the page was open, or
 * the file is missing) says so and offers to reload the page, instead of leaving it blank.
 */
class LoadFailed extends Component<{ children: ReactNode; text: string; action: string }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main id="main" className="page">
        <p className="note note-error" role="alert">
          {this.props.text}
        </p>
        <button type="button" onClick={() => window.location.reload()}>
          {this.props.action}
        </button>
      </main>
    );
  }
}

/**
 * Where a screen loaded on demand is shown: the loading line meanwhile, then the screen with the
 * scans held for it. Each place has its own holder; App gives it a new key for each screen and
 * each person, so what was held for one is never handed to another.
 */
export function ScreenBoundary({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [holder] = useState(() => new ScanHolder());
  return (
    <LoadFailed text={t('app.screenLoadFailed')} action={t('app.reload')}>
      <Suspense fallback={<ScreenLoading holder={holder} />}>
        <HeldScansHere value={holder}>{children}</HeldScansHere>
        <HandOver holder={holder} />
      </Suspense>
    </LoadFailed>
  );
}
