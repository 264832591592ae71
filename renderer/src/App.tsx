import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../api/contract';
import type { UserMessage } from '../../vocabulary/errors';
import { call, CallFailed, setSession, subscribe } from './bridge/client';
import { ErrorNote } from './components/ErrorNote';
import { lazyScreen, ScreenBoundary } from './components/ScreenBoundary';
import { TopBar } from './components/TopBar';
import { SignIn, type SignedInUser } from './features/signin/SignIn';
import { useSyncStatus } from './features/sync/useSyncStatus';
import { localized } from './i18n';
import { href, navigate, useRoute } from './router';
import { useScanNavigation, type ScanToast } from './scanning/useScanNavigation';
import { useKeyboardWedge } from './scanning/useScans';
import { homeOf, menuGroupsFor, preloadScanScreens, scansNavigate, screenFor } from './screens';
import { gate } from './session/gate';
import { useIdleLock } from './session/useIdleLock';

type StationInfo = CallOutput<'station.info'>;

// Shown only on a kiosk station, or on one being set up: loaded then, not with the sign-in screen.
const KioskApp = lazyScreen(() => import('./features/kiosk/KioskApp'), 'KioskApp');
const FirstSync = lazyScreen(() => import('./features/sync/FirstSync'), 'FirstSync');

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [station, setStation] = useState<StationInfo | null>(null);
  const [user, setUser] = useState<(SignedInUser & { siteId?: string | null }) | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [damaged, setDamaged] = useState<UserMessage | null>(null);
  // A scan's message belongs to the screen it was made on (or opened) and to who made it.
  const [toast, setToast] = useState<(ScanToast & { where: string; userId: string }) | null>(null);
  const sync = useSyncStatus();
  const [kiosk, setKiosk] = useState<{ enabled: boolean; idleSeconds: number } | null>(null);
  const [staffMode, setStaffMode] = useState(false);
  const [idleNote, setIdleNote] = useState<string | null>(null);
  const settingUp = station !== null && !station.setUp;
  const [routeName, id = ''] = route.path;
  const screen = user ? screenFor(routeName, user.role) : null;

  useKeyboardWedge(user !== null);
  // Workflow screens and the scanner settings take their scans themselves.
  const here = href(...route.path);
  useScanNavigation(user !== null && scansNavigate(routeName, user.role), (scanned) => {
    if (user) setToast({ ...scanned, where: scanned.open ?? here, userId: user.id });
  });
  const shownToast = toast && user && toast.userId === user.id && toast.where === here ? toast : null;
  // Another screen or another person: the last scan's message is not theirs.
  useEffect(() => {
    setToast((last) => (last && user && last.userId === user.id && last.where === here ? last : null));
  }, [here, user]);

  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === 'station.damaged') setDamaged(e.message);
      }),
    [],
  );

  useEffect(() => {
    call('station.info', {}).then((s) => {
      setStation(s);
      if (s.damaged) setDamaged(s.damaged);
    }, setError);
    call('kiosk.settings', {}).then(setKiosk, () => setKiosk(null));
    call('auth.me', {})
      // A kiosk visit's session is not a staff member's (it may not ask who it is): it stays for the kiosk to carry on.
      .then(setUser, (e: unknown) => (e instanceof CallFailed && e.error.code === 'auth.forbidden' ? undefined : setSession(null)))
      .finally(() => setReady(true));
  }, []);

  // A newly enrolled station becomes itself once its first copy from the register has arrived.
  useEffect(() => {
    if (settingUp && sync && !sync.syncing && sync.lastSuccessAt) call('station.info', {}).then(setStation, setError);
  }, [settingUp, sync]);

  useEffect(() => {
    document.title = station ? `Depot Station · ${station.name} · ${station.siteName}` : 'Depot Station';
  }, [station]);

  const signOut = async () => {
    await call('auth.signOut', {}).catch(() => undefined);
    // Kiosk mode switched on or off while signed in takes effect at this sign-out, as the setting says.
    const settings = await call('kiosk.settings', {}).catch(() => undefined);
    if (settings) setKiosk(settings);
    setSession(null);
    setUser(null);
    setToast(null);
    setStaffMode(false);
    navigate('#/', true);
  };

  useIdleLock(user !== null, (minutes) => {
    setIdleNote(t('app.idleSignedOut', { count: minutes }));
    void signOut();
  });

  // Once someone has signed in and their first screen is up, the screens a scan opens are loaded ahead of the first scan.
  const signedIn = user !== null;
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(preloadScanScreens, 1_000);
    return () => clearTimeout(timer);
  }, [signedIn]);

  // The signed-in bar is drawn again only when what it shows changes, not for each scan's toast or screen of the same kind.
  const signOutNow = useRef(signOut);
  useEffect(() => {
    signOutNow.current = signOut;
  });
  const signedInBar = useMemo(
    () =>
      user && screen ? (
        <TopBar station={station} sync={sync} signedIn={{ name: user.name, role: user.role, menu: menuGroupsFor(user.role), current: screen, onSignOut: () => void signOutNow.current() }} />
      ) : null,
    [station, sync, user, screen],
  );

  const damagedBanner = damaged && (
    <div className="note note-error banner" role="alert">
      {localized(damaged)}
    </div>
  );

  switch (gate({ ready, signedIn: user !== null, settingUp, kiosk: kiosk?.enabled ?? false, staffMode })) {
    case 'loading':
      return <p className="muted">{t('app.loading')}</p>;
    case 'kiosk':
      return (
        <>
          <TopBar station={station} sync={sync} siteOnly />
          {damagedBanner}
          <ScreenBoundary>
            <KioskApp idleSeconds={kiosk?.idleSeconds ?? 0} onStaff={() => setStaffMode(true)} />
          </ScreenBoundary>
        </>
      );
    case 'first-sync':
    case 'sign-in':
      return (
        <>
          <TopBar station={station} sync={sync} />
          {damagedBanner}
          <ErrorNote error={error} />
          {idleNote && <p className="banner" role="status">{idleNote}</p>}
          {settingUp ? (
            <ScreenBoundary>
              <FirstSync status={sync} />
            </ScreenBoundary>
          ) : (
            <SignIn
              onSignedIn={(u) => {
                setIdleNote(null);
                setUser(u);
                navigate(href(homeOf(u.role).route), true);
                // Their own site, for the screens that start on it.
                call('auth.me', {}).then((me) => setUser((now) => (now?.id === me.id ? me : now)), () => undefined);
              }}
            />
          )}
        </>
      );
  }
  if (!user || !screen) return null;

  const supervisor = user.role === 'supervisor' || user.role === 'admin';
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      {signedInBar}
      {damagedBanner}
      <div className={shownToast ? `toast toast-${shownToast.kind}` : 'toast'} role="status" aria-live="polite" data-testid="scan-toast">
        {shownToast?.text}
      </div>
      <ScreenBoundary key={`${user.id} ${screen.route}`}>
        {screen.page({ id, query: route.query, userId: user.id, role: user.role, supervisor, siteId: station?.siteId ?? '', userSiteId: user.siteId ?? null })}
      </ScreenBoundary>
    </>
  );
}
