import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../api/contract';
import type { SyncStatus } from '../../../services/sync';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { currentLang, setLang } from '../i18n';
import { href } from '../router';
import type { Screen } from '../screens';

export interface SignedInBar {
  name: string;
  role: CallOutput<'auth.signIn'>['user']['role'];
  menu: readonly Screen[];
  current: Screen;
  onSignOut: () => void;
}

/**
 * The bar across the top of every view: the station (only its site at the kiosk), the menu and
 * who is signed in once someone is, the register's state, and the language switch.
 */
export function TopBar({ station, sync, siteOnly = false, signedIn }: { station: CallOutput<'station.info'> | null; sync: SyncStatus | null; siteOnly?: boolean; signedIn?: SignedInBar }) {
  const { t } = useTranslation();
  const other = currentLang() === 'sv' ? 'en' : 'sv';
  return (
    <header className="topbar">
      <span className="brand">{t('app.name')}</span>
      {station && <span className="station-name">{siteOnly ? station.siteName : `${station.name} · ${station.siteName}`}</span>}
      {signedIn && (
        <nav aria-label={t('nav.label')}>
          <ul>
            {signedIn.menu.map((s) => (
              <li key={s.route}>
                <a href={href(s.route)} aria-current={s === signedIn.current ? 'page' : undefined}>{t(s.title)}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
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
