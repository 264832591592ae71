import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../api/contract';
import type { SyncStatus } from '../../../services/sync';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { currentLang, setLang } from '../i18n';
import { href } from '../router';
import type { MenuGroup, Screen } from '../screens';

export interface SignedInBar {
  name: string;
  role: CallOutput<'auth.signIn'>['user']['role'];
  /** The role's home, and its menu's groups (screens/menuGroupsFor). */
  menu: { home: Screen; groups: readonly { group: MenuGroup; screens: readonly Screen[] }[] };
  current: Screen;
  onSignOut: () => void;
}

/**
 * The bar across the top of every view: the station (only its site at the kiosk), the menu and
 * who is signed in once someone is, the register's state, and the language switch. One row at
 * 1366 px for every role: the home is a link, every other screen sits in its group's menu.
 */
export function TopBar({ station, sync, siteOnly = false, signedIn }: { station: CallOutput<'station.info'> | null; sync: SyncStatus | null; siteOnly?: boolean; signedIn?: SignedInBar }) {
  const { t } = useTranslation();
  const other = currentLang() === 'sv' ? 'en' : 'sv';
  return (
    <header className="topbar">
      <span className="brand">{t('app.name')}</span>
      {station && <span className="station-name">{siteOnly ? station.siteName : [station.name, station.siteName].filter(Boolean).join(' · ')}</span>}
      {signedIn && <Menu bar={signedIn} />}
      <span className="spacer" />
      <SyncIndicator status={sync} link={signedIn !== undefined} />
      {signedIn && <span className="who">{signedIn.name} <small>({t(`roles.${signedIn.role}`)})</small></span>}
      <button type="button" className="ghost" onClick={() => setLang(currentLang() === 'sv' ? 'en' : 'sv')} title={t('app.languageLabel')} lang={other}>
        {t('app.language')}
      </button>
      {signedIn && <button type="button" className="ghost" onClick={signedIn.onSignOut}>{t('nav.signOut')}</button>}
    </header>
  );
}

/** The home link and one menu button per group; a group of one screen is a link of its own. */
function Menu({ bar }: { bar: SignedInBar }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<MenuGroup | null>(null);
  const nav = useRef<HTMLElement>(null);
  // A group's menu closes on a click elsewhere, on Escape, and when a screen is chosen.
  useEffect(() => {
    if (open === null) return;
    const outside = (e: PointerEvent) => {
      if (!nav.current?.contains(e.target as Node)) setOpen(null);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(null);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  const current = bar.current;
  useEffect(() => {
    setOpen(null);
  }, [current]);
  const link = (s: Screen) => (
    <a href={href(s.route)} aria-current={s === bar.current ? 'page' : undefined} onClick={() => setOpen(null)}>
      {t(s.title)}
    </a>
  );
  return (
    <nav aria-label={t('nav.label')} ref={nav}>
      <ul>
        <li>{link(bar.menu.home)}</li>
        {bar.menu.groups.map(({ group, screens }) =>
          screens.length === 1 ? (
            <li key={group}>{link(screens[0]!)}</li>
          ) : (
            <li key={group} className="menu-group">
              <button
                type="button"
                aria-expanded={open === group}
                aria-controls={`menu-${group}`}
                className={screens.includes(bar.current) ? 'current' : undefined}
                onClick={() => setOpen(open === group ? null : group)}
              >
                {t(`nav.groups.${group}`)}
                <span aria-hidden="true"> ▾</span>
              </button>
              <ul id={`menu-${group}`} hidden={open !== group}>
                {screens.map((s) => (
                  <li key={s.route}>{link(s)}</li>
                ))}
              </ul>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
