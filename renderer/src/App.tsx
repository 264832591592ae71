import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../api/contract';
import type { Role } from '../../db/schema';
import type { UserMessage } from '../../vocabulary/errors';
import { call, setSession, subscribe } from './bridge/client';
import { ErrorNote } from './components/ErrorNote';
import { ArticlePage } from './features/article/ArticlePage';
import { DepotPage } from './features/depot/DepotPage';
import { IndividualPage } from './features/individual/IndividualPage';
import { LocationPage } from './features/location/LocationPage';
import { SearchPage } from './features/search/SearchPage';
import { SignIn, type SignedInUser } from './features/signin/SignIn';
import { StationPage } from './features/station/StationPage';
import { OverviewPage } from './features/supervisor/OverviewPage';
import { QueuePage } from './features/technician/QueuePage';
import { beep } from './feedback';
import { currentLang, localized, setLang } from './i18n';
import { useKeyboardWedge, useScans } from './scanning/useScans';
import { ScannersPage } from './features/scanners/ScannersPage';
import { PrintingPage } from './features/printing/PrintingPage';
import { PalletPage } from './features/workflows/PalletPage';
import { PalletReceivePage } from './features/workflows/PalletReceivePage';
import { RestockPage } from './features/workflows/RestockPage';
import { MoveAllPage } from './features/workflows/MoveAllPage';
import { ServicePage } from './features/service/ServicePage';
import { WorkshopPage } from './features/service/WorkshopPage';
import { AuditPage } from './features/audit/AuditPage';
import { CountPage } from './features/counts/CountPage';
import { CountsPage } from './features/counts/CountsPage';
import { PickPage } from './features/workflows/PickPage';
import { PutawayPage } from './features/workflows/PutawayPage';
import { ReceivePage } from './features/workflows/ReceivePage';
import { ReturnPage } from './features/workflows/ReturnPage';
import { href, navigate, useRoute } from './router';
import { FirstSync } from './features/sync/FirstSync';
import { SyncIndicator } from './features/sync/SyncIndicator';
import { SyncPage } from './features/sync/SyncPage';
import { useSyncStatus } from './features/sync/useSyncStatus';
import { KioskApp } from './features/kiosk/KioskApp';
import { ReplenishmentPage } from './features/replenishment/ReplenishmentPage';
import { LocationsPage } from './features/locations/LocationsPage';

type StationInfo = CallOutput<'station.info'>;
type NavKey = 'station' | 'search' | 'depot' | 'queue' | 'overview' | 'scanners' | 'printing' | 'sync' | 'replenishment' | 'locations' | 'service' | 'workshop' | 'counts' | 'audit';

const SCAN_SCREENS = new Set(['count', 'scanners', 'receive', 'putaway', 'move', 'pick', 'return', 'pallet', 'pallet-receive', 'restock', 'move-all', 'service']);

/** What each role sees in the menu, the first being its home. */
const NAV: Record<Role, NavKey[]> = {
  warehouse_worker: ['station', 'search', 'depot', 'replenishment', 'counts', 'printing', 'scanners'],
  depot_staff: ['depot', 'search', 'station', 'replenishment', 'counts', 'printing', 'scanners'],
  technician: ['service', 'queue', 'search', 'station', 'printing', 'scanners'],
  supervisor: ['overview', 'counts', 'replenishment', 'service', 'workshop', 'search', 'queue', 'depot', 'locations', 'station', 'printing', 'scanners', 'sync', 'audit'],
  admin: ['overview', 'counts', 'replenishment', 'service', 'workshop', 'search', 'queue', 'depot', 'locations', 'station', 'printing', 'scanners', 'sync', 'audit'],
  // Prescribers only use the kiosk; the core refuses them everything else.
  prescriber: ['station'],
};

export function App() {
  const { t } = useTranslation();
  const route = useRoute();
  const [station, setStation] = useState<StationInfo | null>(null);
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [damaged, setDamaged] = useState<UserMessage | null>(null);
  const [toast, setToast] = useState<{ kind: 'ok' | 'error' | 'info'; text: string; at: number } | null>(null);
  const screenNow = route.path[0];
  const sync = useSyncStatus();
  const [kiosk, setKiosk] = useState<{ enabled: boolean; idleSeconds: number } | null>(null);
  const [staffMode, setStaffMode] = useState(false);
  const [idleNote, setIdleNote] = useState<string | null>(null);
  const settingUp = station !== null && !station.setUp;

  useKeyboardWedge(user !== null);
  // The scanner drives the app: whatever is scanned opens, wherever the worker is.
  useScans((scan) => {
    // Workflow screens and the scanner settings take their scans themselves.
    if (!user || (screenNow !== undefined && SCAN_SCREENS.has(screenNow))) return;
    const show = (kind: 'ok' | 'error' | 'info', text: string) => setToast({ kind, text, at: scan.at });
    if (scan.error) {
      beep('error');
      return show('error', localized(scan.error.message));
    }
    const r = scan.resolution;
    if (!r) return;
    switch (r.kind) {
      case 'individual':
        beep('ok');
        show('ok', t('scan.individual', { code: r.individualNumber }));
        return navigate(href('individual', r.id));
      case 'article':
        beep('ok');
        show('ok', t('scan.article', { code: r.articleNumber }));
        return navigate(href('article', r.id));
      case 'location':
        beep('ok');
        show('ok', t('scan.location', { code: r.code }));
        return navigate(href('location', r.id));
      case 'unknown':
        beep('error');
        return show('error', localized(r.message));
      case 'user':
        beep('ok');
        return show('info', t('scan.user', { name: r.name }));
      case 'order':
        beep('ok');
        return show('info', t('scan.notHere', { what: t('scan.order', { ref: r.ref }) }));
      case 'pallet':
        beep('ok');
        return show('info', t('scan.notHere', { what: t('scan.pallet', { sscc: r.sscc }) }));
      case 'command':
        beep('ok');
        return show('info', t('scan.notHere', { what: t('scan.command', { command: r.command }) }));
    }
  });

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
      .then(setUser, () => setSession(null))
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
    setSession(null);
    setUser(null);
    setStaffMode(false);
    navigate('#/', true);
  };

  // A shared station locks itself: no key, touch or scan for the idle time signs the user out.
  useEffect(() => {
    if (!user) return;
    let last = Date.now();
    let minutes = 15;
    call('station.idle', {}).then((r) => (minutes = r.minutes), () => undefined);
    const active = () => (last = Date.now());
    const stop = subscribe((e) => e.type === 'scan' && active());
    window.addEventListener('keydown', active);
    window.addEventListener('pointerdown', active);
    const timer = setInterval(() => {
      if (Date.now() - last > minutes * 60_000) {
        setIdleNote(t('app.idleSignedOut', { minutes }));
        void signOut();
      }
    }, 10_000);
    return () => {
      stop();
      window.removeEventListener('keydown', active);
      window.removeEventListener('pointerdown', active);
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  const toggleLang = () => setLang(currentLang() === 'sv' ? 'en' : 'sv');
  const langButton = (
    <button type="button" className="ghost" onClick={toggleLang} title={t('app.languageLabel')} lang={currentLang() === 'sv' ? 'en' : 'sv'}>
      {t('app.language')}
    </button>
  );

  const damagedBanner = damaged && (
    <div className="note note-error banner" role="alert">
      {localized(damaged)}
    </div>
  );

  if (!ready) return <p className="muted">{t('app.loading')}</p>;
  // The unmanned depot's kiosk: withdrawals by badge; staff sign in from its start screen.
  if (!user && kiosk?.enabled && !staffMode && !settingUp)
    return (
      <>
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          {station && <span className="station-name">{station.siteName}</span>}
          <span className="spacer" />
          <SyncIndicator status={sync} link={false} />
          {langButton}
        </header>
        {damagedBanner}
        <KioskApp idleSeconds={kiosk.idleSeconds} onStaff={() => setStaffMode(true)} />
      </>
    );
  if (!user)
    return (
      <>
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          {station && <span className="station-name">{station.name} · {station.siteName}</span>}
          <span className="spacer" />
          <SyncIndicator status={sync} link={false} />
          {langButton}
        </header>
        {damagedBanner}
        <ErrorNote error={error} />
        {idleNote && <p className="banner" role="status">{idleNote}</p>}
        {settingUp ? <FirstSync status={sync} /> : <SignIn onSignedIn={(u) => { setIdleNote(null); setUser(u); navigate(href(NAV[u.role][0]!), true); }} />}
      </>
    );

  const nav = NAV[user.role];
  const [screen = nav[0], id = ''] = route.path;
  let page: React.ReactNode;
  switch (screen) {
    case 'search':
      page = <SearchPage initial={route.query.get('q') ?? ''} />;
      break;
    case 'article':
      page = <ArticlePage id={id} />;
      break;
    case 'individual':
      page = <IndividualPage id={id} />;
      break;
    case 'location':
      page = <LocationPage id={id} supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    case 'overview':
      page = <OverviewPage />;
      break;
    case 'queue':
      page = <QueuePage />;
      break;
    case 'depot':
      page = <DepotPage defaultSiteId={station?.siteId ?? ''} role={user.role} />;
      break;
    case 'scanners':
      page = <ScannersPage supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    case 'printing':
      page = <PrintingPage supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    case 'pallet':
      page = <PalletPage />;
      break;
    case 'restock':
      page = <RestockPage />;
      break;
    case 'move-all':
      page = <MoveAllPage />;
      break;
    case 'service':
      page = <ServicePage supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    case 'workshop':
      page = <WorkshopPage />;
      break;
    case 'audit':
      page = <AuditPage />;
      break;
    case 'counts':
      page = <CountsPage siteId={station?.siteId ?? ''} supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    case 'count':
      page = <CountPage id={id} supervisor={user.role === 'supervisor' || user.role === 'admin'} userId={user.id} />;
      break;
    case 'pallet-receive':
      page = <PalletReceivePage />;
      break;
    case 'receive':
      page = <ReceivePage />;
      break;
    case 'putaway':
      page = <PutawayPage />;
      break;
    case 'move':
      page = <PutawayPage key="move" move />;
      break;
    case 'pick':
      page = <PickPage />;
      break;
    case 'return':
      page = <ReturnPage />;
      break;
    case 'sync':
      page = <SyncPage role={user.role} />;
      break;
    case 'replenishment':
      page = <ReplenishmentPage role={user.role} />;
      break;
    case 'locations':
      page = <LocationsPage defaultSiteId={station?.siteId ?? ''} supervisor={user.role === 'supervisor' || user.role === 'admin'} />;
      break;
    default:
      page = <StationPage />;
  }

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        {station && <span className="station-name">{station.name} · {station.siteName}</span>}
        <nav aria-label={t('nav.label')}>
          <ul>
            {nav.map((k) => (
              <li key={k}>
                <a href={href(k)} aria-current={screen === k ? 'page' : undefined}>{t(`nav.${k}`)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="spacer" />
        <SyncIndicator status={sync} link />
        <span className="who">{user.name} <small>({t(`roles.${user.role}`)})</small></span>
        {langButton}
        <button type="button" className="ghost" onClick={signOut}>{t('nav.signOut')}</button>
      </header>
      {damagedBanner}
      <div className={toast ? `toast toast-${toast.kind}` : 'toast'} role="status" aria-live="polite" data-testid="scan-toast">
        {toast?.text}
      </div>
      {page}
    </>
  );
}
