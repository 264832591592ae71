/**
 * The register's console: sign-in, then the menu (what the signed-in role may see) and the screen
 * the address names. Administrators keep enrolment codes, stations and users; supervisors see
 * the fleet, the codes, what went wrong and the master data.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ConsoleUser } from '../../register/console/store';
import { href, useRoute } from '../src/router';
import { get, onSignedOut, post } from './client';
import { applyLang, storedLang, words, WordsContext, type Key, type Lang } from './i18n';
import { Loading } from './parts';
import { AuditPage } from './screens/AuditPage';
import { EnrolmentPage } from './screens/EnrolmentPage';
import { FleetPage } from './screens/FleetPage';
import { ImportPage } from './screens/ImportPage';
import { IssuesPage } from './screens/IssuesPage';
import { MasterDataPage } from './screens/MasterDataPage';
import { UsersPage } from './screens/UsersPage';
import { SignIn } from './SignIn';

interface Screen {
  route: string;
  title: Key;
  adminOnly: boolean;
  render: (user: ConsoleUser) => React.ReactNode;
}

const SCREENS: readonly Screen[] = [
  { route: 'fleet', title: 'nav.fleet', adminOnly: false, render: (u) => <FleetPage user={u} /> },
  { route: 'enrolment', title: 'nav.enrolment', adminOnly: false, render: (u) => <EnrolmentPage user={u} /> },
  { route: 'users', title: 'nav.users', adminOnly: true, render: (u) => <UsersPage user={u} /> },
  { route: 'issues', title: 'nav.issues', adminOnly: false, render: () => <IssuesPage /> },
  { route: 'master-data', title: 'nav.masterData', adminOnly: false, render: (u) => <MasterDataPage user={u} /> },
  { route: 'import', title: 'nav.import', adminOnly: true, render: () => <ImportPage /> },
  { route: 'audit', title: 'nav.audit', adminOnly: true, render: () => <AuditPage /> },
];

export function App() {
  const [lang, setLangState] = useState<Lang>(storedLang);
  const w = useMemo(
    () =>
      words(lang, (l) => {
        applyLang(l);
        setLangState(l);
      }),
    [lang],
  );
  useEffect(() => applyLang(lang), [lang]);
  const [user, setUser] = useState<ConsoleUser | null | 'unknown'>('unknown');
  useEffect(() => {
    onSignedOut(() => setUser(null));
    get<{ user: ConsoleUser }>('me').then(
      (r) => setUser(r.user),
      () => setUser(null),
    );
  }, []);
  const route = useRoute();
  const menu = user && user !== 'unknown' ? SCREENS.filter((s) => !s.adminOnly || user.role === 'admin') : [];
  const screen = menu.find((s) => s.route === route.path[0]) ?? menu[0];
  const signOut = () => void post('session/end').finally(() => setUser(null));
  const other: Lang = lang === 'sv' ? 'en' : 'sv';

  return (
    <WordsContext.Provider value={w}>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {w.t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{w.t('app.name')}</span>
        {user && user !== 'unknown' && (
          <nav aria-label={w.t('app.menu')}>
            <ul>
              {menu.map((s) => (
                <li key={s.route}>
                  <a href={href(s.route)} aria-current={s === screen ? 'page' : undefined}>
                    {w.t(s.title)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <span className="spacer" />
        {user && user !== 'unknown' && (
          <span className="who">
            {user.name} <small>({w.t(`roles.${user.role}`)})</small>
          </span>
        )}
        <button type="button" className="ghost" onClick={() => w.setLang(other)} title={w.t('app.languageLabel')} lang={other}>
          {w.t('app.language')}
        </button>
        {user && user !== 'unknown' && (
          <button type="button" className="ghost" onClick={signOut}>
            {w.t('app.signOut')}
          </button>
        )}
      </header>
      {user === 'unknown' ? (
        <main id="main" className="page" tabIndex={-1}>
          <Loading />
        </main>
      ) : user === null ? (
        <SignIn onSignedIn={setUser} />
      ) : (
        <main id="main" className="page" tabIndex={-1} key={screen!.route}>
          {screen!.render(user)}
        </main>
      )}
    </WordsContext.Provider>
  );
}
