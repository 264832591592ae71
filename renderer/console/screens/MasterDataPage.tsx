import { useDeferredValue, useState } from 'react';
import type { ArticleLine, ConsoleUser, PointLine, SiteLine } from '../../../register/console/store';
import { TRACKING, type Tracking } from '../../../vocabulary/domain';
import { post } from '../client';
import { useWords, type Key } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../parts';

const WEEKDAYS = [1, 2, 3, 4, 5] as const;

/**
 * Grunddata: the sites (an administrator changes one's name, address, route and delivery day),
 * each site's delivery points (kept by its supervisors or an administrator; retiring asks beside
 * the button) and the articles (created and changed by supervisors and administrators). The
 * register judges each change as it judges a station's, and every station pulls it.
 */
export function MasterDataPage({ user }: { user: ConsoleUser }) {
  const { t } = useWords();
  const { data: sites, error, reload: reloadSites } = useLoad<SiteLine[]>('sites');
  const [failure, setFailure] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [editingSite, setEditingSite] = useState<string | null>(null);
  const saved = (name: string) => (setFailure(null), setNote(t('masterData.saved', { name })));
  const start = () => (setFailure(null), setNote(null));
  return (
    <>
      <h1>{t('masterData.title')}</h1>
      <p className="muted">{t('masterData.help')}</p>
      <ErrorNote error={error ?? failure} />
      {note && (
        <p className="note note-ok" role="status">
          {note}
        </p>
      )}
      <h2>{t('masterData.sites')}</h2>
      {!sites ? (
        !error && <Loading />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="sites">
            <thead>
              <tr>
                <th scope="col">{t('masterData.code')}</th>
                <th scope="col">{t('masterData.name')}</th>
                <th scope="col">{t('masterData.kind')}</th>
                <th scope="col">{t('masterData.municipality')}</th>
                <th scope="col">{t('masterData.address')}</th>
                <th scope="col">{t('masterData.route')}</th>
                {user.role === 'admin' && (
                  <th scope="col">
                    <span className="visually-hidden">{t('masterData.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.id}>
                  <td className="code">{s.code}</td>
                  <td>{s.name}</td>
                  <td>{t(`masterData.siteKinds.${s.kind}` as Key)}</td>
                  <td>{s.municipality}</td>
                  <td>{[s.address, [s.postcode, s.town].filter(Boolean).join(' ')].filter(Boolean).join(', ')}</td>
                  <td>{s.route ? `${s.route}, ${t(`masterData.weekdays.${s.deliveryWeekday ?? 1}` as Key)}` : ''}</td>
                  {user.role === 'admin' && (
                    <td>
                      <button type="button" className="ghost" onClick={() => (start(), setEditingSite(s.id))}>
                        {t('masterData.edit')} <span className="visually-hidden">{s.name}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sites && editingSite && sites.some((s) => s.id === editingSite) && (
        <SiteForm
          key={editingSite}
          site={sites.find((s) => s.id === editingSite)!}
          onCancel={() => setEditingSite(null)}
          onFail={setFailure}
          onSaved={(name) => (setEditingSite(null), saved(name), reloadSites())}
        />
      )}
      {sites && <PointsSection user={user} sites={sites} onFail={setFailure} onSaved={saved} onStart={start} onNote={(n) => (setFailure(null), setNote(n))} />}
      <ArticlesSection onFail={setFailure} onSaved={saved} onStart={start} />
    </>
  );
}

function SiteForm(props: { site: SiteLine; onCancel: () => void; onFail: (e: unknown) => void; onSaved: (name: string) => void }) {
  const { t } = useWords();
  const s = props.site;
  const [name, setName] = useState(s.name);
  const [municipality, setMunicipality] = useState(s.municipality);
  const [address, setAddress] = useState(s.address ?? '');
  const [postcode, setPostcode] = useState(s.postcode ?? '');
  const [town, setTown] = useState(s.town ?? '');
  const [route, setRoute] = useState(s.route ?? '');
  const [weekday, setWeekday] = useState<number>(s.deliveryWeekday ?? 1);
  const [busy, setBusy] = useState(false);
  const title = t('masterData.editSite', { name: s.name });
  const save = async () => {
    setBusy(true);
    try {
      const blank = (v: string) => (v.trim() ? v : null);
      await post(`sites/${encodeURIComponent(s.id)}`, {
        name,
        municipality,
        address: blank(address),
        postcode: blank(postcode),
        town: blank(town),
        route: blank(route),
        deliveryWeekday: route.trim() ? weekday : null,
      });
      props.onSaved(name.trim());
    } catch (e) {
      props.onFail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="editor" aria-label={title} onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{title}</h3>
      <p className="muted">
        {t('masterData.code')} <span className="code">{s.code}</span>, {t(`masterData.siteKinds.${s.kind}` as Key)}. {t('masterData.siteHelp')}
      </p>
      <label>
        {t('masterData.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <label>
        {t('masterData.municipality')}
        <input value={municipality} onChange={(e) => setMunicipality(e.target.value)} required maxLength={60} />
      </label>
      <label>
        {t('masterData.address')}
        <input value={address} onChange={(e) => setAddress(e.target.value)} maxLength={120} autoComplete="off" />
      </label>
      <label>
        {t('masterData.postcode')} <small className="muted">{t('masterData.postcodeHelp')}</small>
        <input value={postcode} onChange={(e) => setPostcode(e.target.value)} maxLength={6} inputMode="numeric" autoComplete="off" />
      </label>
      <label>
        {t('masterData.town')}
        <input value={town} onChange={(e) => setTown(e.target.value)} maxLength={60} autoComplete="off" />
      </label>
      <label>
        {t('masterData.route')}
        <input value={route} onChange={(e) => setRoute(e.target.value)} maxLength={60} autoComplete="off" />
      </label>
      <WeekdaySelect label={t('masterData.deliveryWeekday')} value={weekday} onChange={setWeekday} disabled={!route.trim()} />
      <span className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('masterData.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('masterData.cancel')}
        </button>
      </span>
    </form>
  );
}

function WeekdaySelect(props: { label: string; value: number; onChange: (n: number) => void; disabled?: boolean }) {
  const { t } = useWords();
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(Number(e.target.value))} disabled={props.disabled}>
        {WEEKDAYS.map((d) => (
          <option key={d} value={d}>
            {t(`masterData.weekdays.${d}` as Key)}
          </option>
        ))}
      </select>
    </label>
  );
}

// ---- delivery points ----------------------------------------------------------------------------

function PointsSection(props: { user: ConsoleUser; sites: SiteLine[]; onFail: (e: unknown) => void; onSaved: (name: string) => void; onStart: () => void; onNote: (n: string) => void }) {
  const { t, dateTime } = useWords();
  const { user, sites } = props;
  const [siteId, setSiteId] = useState<string>(user.siteId && sites.some((s) => s.id === user.siteId) ? user.siteId : (sites[0]?.id ?? ''));
  const { data: points, error, reload } = useLoad<PointLine[]>(siteId ? `delivery-points?site=${encodeURIComponent(siteId)}` : null);
  const [editing, setEditing] = useState<PointLine | 'new' | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const keeps = user.role === 'admin' || user.siteId === siteId;
  const setRetired = (p: PointLine, retired: boolean) =>
    post(`delivery-points/${encodeURIComponent(p.id)}`, { retired }).then(
      () => (setConfirming(null), retired ? props.onNote(t('masterData.retiredNote', { name: p.name })) : props.onSaved(p.name), reload()),
      props.onFail,
    );
  return (
    <>
      <h2>{t('masterData.points')}</h2>
      <p className="muted">{t('masterData.pointsHelp')}</p>
      <label className="field">
        {t('masterData.pointsSite')}
        <select className="big-input" value={siteId} onChange={(e) => (setSiteId(e.target.value), setEditing(null), setConfirming(null))}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={error} />
      {!keeps && <p className="muted">{t('masterData.notYourSite')}</p>}
      {keeps &&
        (editing ? (
          <PointForm
            key={editing === 'new' ? 'new' : editing.id}
            siteId={siteId}
            point={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onFail={props.onFail}
            onSaved={(name) => (setEditing(null), props.onSaved(name), reload())}
          />
        ) : (
          <button type="button" onClick={() => (props.onStart(), setEditing('new'))}>
            {t('masterData.newPoint')}
          </button>
        ))}
      {!points ? (
        !error && <Loading />
      ) : points.length === 0 ? (
        <p className="muted">{t('masterData.noPoints')}</p>
      ) : (
        <div className="table-wrap">
          <table className="lines" data-testid="delivery-points">
            <thead>
              <tr>
                <th scope="col">{t('masterData.name')}</th>
                <th scope="col">{t('masterData.address')}</th>
                <th scope="col">{t('masterData.municipality')}</th>
                <th scope="col">{t('masterData.route')}</th>
                <th scope="col">{t('masterData.weekday')}</th>
                <th scope="col">{t('users.changed')}</th>
                {keeps && (
                  <th scope="col">
                    <span className="visually-hidden">{t('masterData.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.id} className={p.retiredAt === null ? undefined : 'muted'}>
                  <td>
                    {p.name}
                    {p.retiredAt !== null && (
                      <>
                        {' '}
                        <span className="badge badge-off">{t('masterData.retired')}</span>
                      </>
                    )}
                  </td>
                  <td>{`${p.address}, ${p.postcode} ${p.town}`}</td>
                  <td>{p.municipality}</td>
                  <td>{p.route}</td>
                  <td>{t(`masterData.weekdays.${p.weekday}` as Key)}</td>
                  <td>{p.changedAt ? `${p.changedBy ?? '–'}, ${dateTime(p.changedAt)}` : ''}</td>
                  {keeps && (
                    <td>
                      {confirming === p.id ? (
                        <span className="actions">
                          <button type="button" className="danger" onClick={() => void setRetired(p, true)}>
                            {t('masterData.retireConfirm', { name: p.name })}
                          </button>
                          <button type="button" onClick={() => setConfirming(null)}>
                            {t('masterData.cancel')}
                          </button>
                        </span>
                      ) : (
                        <span className="actions">
                          <button type="button" className="ghost" onClick={() => (props.onStart(), setEditing(p))}>
                            {t('masterData.edit')} <span className="visually-hidden">{p.name}</span>
                          </button>
                          {p.retiredAt === null ? (
                            <button type="button" className="ghost" onClick={() => (props.onStart(), setConfirming(p.id))}>
                              {t('masterData.retire')} <span className="visually-hidden">{p.name}</span>
                            </button>
                          ) : (
                            <button type="button" className="ghost" onClick={() => (props.onStart(), void setRetired(p, false))}>
                              {t('masterData.reinstate')} <span className="visually-hidden">{p.name}</span>
                            </button>
                          )}
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PointForm(props: { siteId: string; point: PointLine | null; onCancel: () => void; onFail: (e: unknown) => void; onSaved: (name: string) => void }) {
  const { t } = useWords();
  const p = props.point;
  const [name, setName] = useState(p?.name ?? '');
  const [address, setAddress] = useState(p?.address ?? '');
  const [postcode, setPostcode] = useState(p?.postcode ?? '');
  const [town, setTown] = useState(p?.town ?? '');
  const [municipality, setMunicipality] = useState(p?.municipality ?? '');
  const [route, setRoute] = useState(p?.route ?? '');
  const [weekday, setWeekday] = useState<number>(p?.weekday ?? 1);
  const [busy, setBusy] = useState(false);
  const title = p ? t('masterData.editPoint', { name: p.name }) : t('masterData.newPoint');
  const save = async () => {
    setBusy(true);
    try {
      const body = { name, address, postcode, town, municipality, route, weekday };
      await (p ? post(`delivery-points/${encodeURIComponent(p.id)}`, body) : post('delivery-points', { siteId: props.siteId, ...body }));
      props.onSaved(name.trim());
    } catch (e) {
      props.onFail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="editor" aria-label={title} onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{title}</h3>
      <label>
        {t('masterData.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <label>
        {t('masterData.address')}
        <input value={address} onChange={(e) => setAddress(e.target.value)} required maxLength={120} autoComplete="off" />
      </label>
      <label>
        {t('masterData.postcode')} <small className="muted">{t('masterData.postcodeHelp')}</small>
        <input value={postcode} onChange={(e) => setPostcode(e.target.value)} required maxLength={6} inputMode="numeric" autoComplete="off" />
      </label>
      <label>
        {t('masterData.town')}
        <input value={town} onChange={(e) => setTown(e.target.value)} required maxLength={60} autoComplete="off" />
      </label>
      <label>
        {t('masterData.municipality')}
        <input value={municipality} onChange={(e) => setMunicipality(e.target.value)} required maxLength={60} />
      </label>
      <label>
        {t('masterData.route')}
        <input value={route} onChange={(e) => setRoute(e.target.value)} required maxLength={60} autoComplete="off" />
      </label>
      <WeekdaySelect label={t('masterData.weekday')} value={weekday} onChange={setWeekday} />
      <span className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('masterData.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('masterData.cancel')}
        </button>
      </span>
    </form>
  );
}

// ---- articles -----------------------------------------------------------------------------------

function ArticlesSection(props: { onFail: (e: unknown) => void; onSaved: (name: string) => void; onStart: () => void }) {
  const { t } = useWords();
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim().slice(0, 64));
  const { data: found, error, reload } = useLoad<{ lines: ArticleLine[]; more: boolean }>(`articles?q=${encodeURIComponent(q)}`);
  const [editing, setEditing] = useState<ArticleLine | 'new' | null>(null);
  return (
    <>
      <h2>{t('masterData.articles')}</h2>
      <ErrorNote error={error} />
      {editing ? (
        <ArticleForm
          key={editing === 'new' ? 'new' : editing.id}
          article={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onFail={props.onFail}
          onSaved={(name) => (setEditing(null), props.onSaved(name), reload())}
        />
      ) : (
        <button type="button" onClick={() => (props.onStart(), setEditing('new'))}>
          {t('masterData.newArticle')}
        </button>
      )}
      <label className="field">
        {t('masterData.search')}
        <input className="big-input" type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={64} />
      </label>
      {!found ? (
        !error && <Loading />
      ) : found.lines.length === 0 ? (
        <p className="muted">{t('masterData.noArticles')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="articles">
              <thead>
                <tr>
                  <th scope="col">{t('masterData.number')}</th>
                  <th scope="col">{t('masterData.name')}</th>
                  <th scope="col">{t('masterData.iso')}</th>
                  <th scope="col">{t('masterData.supplier')}</th>
                  <th scope="col">{t('masterData.rentable')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('masterData.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {found.lines.map((a) => (
                  <tr key={a.id}>
                    <td className="code">{a.number}</td>
                    <td>{a.name}</td>
                    <td className="code">{a.isoCode}</td>
                    <td>{a.supplier}</td>
                    <td>{a.rentable ? t('masterData.yes') : t('masterData.no')}</td>
                    <td>
                      <button type="button" className="ghost" onClick={() => (props.onStart(), setEditing(a))}>
                        {t('masterData.edit')} <span className="visually-hidden">{a.number}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {found.more && <p className="muted">{t('masterData.more', { count: found.lines.length })}</p>}
        </>
      )}
    </>
  );
}

/** Kronor as written (`1 234,50`) in öre; null when it is no amount. */
function öre(text: string): number | null {
  const t = text.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

function ArticleForm(props: { article: ArticleLine | null; onCancel: () => void; onFail: (e: unknown) => void; onSaved: (name: string) => void }) {
  const { t, lang } = useWords();
  const a = props.article;
  const [number, setNumber] = useState(a?.number ?? '');
  const [name, setName] = useState(a?.name ?? '');
  const [isoCode, setIsoCode] = useState(a?.isoCode ?? '');
  const [supplier, setSupplier] = useState(a?.supplier ?? '');
  const [unit, setUnit] = useState(a?.unit ?? 'st');
  const [price, setPrice] = useState(a ? (a.purchasePrice / 100).toFixed(2).replace('.', lang === 'sv' ? ',' : '.') : '');
  const [rentable, setRentable] = useState(a?.rentable ?? false);
  const [tracking, setTracking] = useState<Tracking>((a?.tracking as Tracking | undefined) ?? 'none');
  const [group, setGroup] = useState(a?.equivalenceGroup ?? '');
  const [gtins, setGtins] = useState((a?.gtins ?? []).join('\n'));
  const [hibc, setHibc] = useState((a?.hibc ?? []).join('\n'));
  const [busy, setBusy] = useState(false);
  const [priceWrong, setPriceWrong] = useState(false);
  const title = a ? t('masterData.editArticle', { name: `${a.number} ${a.name}` }) : t('masterData.newArticle');
  const lines = (v: string) => v.split(/[\s,;]+/).filter(Boolean);
  const save = async () => {
    const purchasePrice = öre(price);
    setPriceWrong(purchasePrice === null);
    if (purchasePrice === null) return;
    setBusy(true);
    try {
      const body = { articleNumber: number, name, isoCode, supplier, unit, purchasePrice, rentable, tracking: rentable ? 'none' : tracking, equivalenceGroup: group.trim() || null, gtins: lines(gtins), hibc: lines(hibc) };
      await (a ? post(`articles/${encodeURIComponent(a.id)}`, body) : post('articles', body));
      props.onSaved(`${number.trim()} ${name.trim()}`);
    } catch (e) {
      props.onFail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="editor" aria-label={title} onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3>{title}</h3>
      <label>
        {t('masterData.number')}
        <input value={number} onChange={(e) => setNumber(e.target.value)} required maxLength={32} autoComplete="off" />
      </label>
      <label>
        {t('masterData.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      </label>
      <label>
        {t('masterData.isoCode')} <small className="muted">{t('masterData.isoHelp')}</small>
        <input value={isoCode} onChange={(e) => setIsoCode(e.target.value)} required maxLength={6} inputMode="numeric" autoComplete="off" />
      </label>
      <label>
        {t('masterData.supplier')}
        <input value={supplier} onChange={(e) => setSupplier(e.target.value)} required maxLength={80} />
      </label>
      <label>
        {t('masterData.unit')}
        <input value={unit} onChange={(e) => setUnit(e.target.value)} required maxLength={12} />
      </label>
      <label>
        {t('masterData.price')}
        <input value={price} onChange={(e) => setPrice(e.target.value)} required inputMode="decimal" maxLength={14} aria-invalid={priceWrong || undefined} aria-describedby={priceWrong ? 'price-wrong' : undefined} />
        {priceWrong && (
          <small id="price-wrong" className="expired" role="alert">
            {t('masterData.priceWrong')}
          </small>
        )}
      </label>
      <label className="check">
        <input type="checkbox" checked={rentable} onChange={(e) => setRentable(e.target.checked)} /> {t('masterData.rentableLabel')}
      </label>
      <label>
        {t('masterData.tracking')}
        <select value={rentable ? 'none' : tracking} onChange={(e) => setTracking(e.target.value as Tracking)} disabled={rentable}>
          {TRACKING.map((k) => (
            <option key={k} value={k}>
              {t(`masterData.trackings.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('masterData.group')}
        <input value={group} onChange={(e) => setGroup(e.target.value)} maxLength={60} />
      </label>
      <label>
        {t('masterData.gtins')} <small className="muted">{t('masterData.codesHelp')}</small>
        <textarea value={gtins} onChange={(e) => setGtins(e.target.value)} rows={2} autoComplete="off" />
      </label>
      <label>
        {t('masterData.hibc')} <small className="muted">{t('masterData.codesHelp')}</small>
        <textarea value={hibc} onChange={(e) => setHibc(e.target.value)} rows={2} autoComplete="off" />
      </label>
      <span className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('masterData.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('masterData.cancel')}
        </button>
      </span>
    </form>
  );
}
