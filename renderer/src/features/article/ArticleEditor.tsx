import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { href, navigate } from '../../router';

type Tracking = 'none' | 'lot' | 'lot_expiry';

/** The article as the editor holds it: the price in kronor as typed, the codes one per line. */
export interface ArticleDraft {
  id: string | null;
  articleNumber: string;
  name: string;
  isoCode: string;
  supplier: string;
  unit: string;
  price: string;
  rentable: boolean;
  tracking: Tracking;
  equivalenceGroup: string;
  gtins: string;
  hibc: string;
}

export const NEW_ARTICLE: ArticleDraft = {
  id: null,
  articleNumber: '',
  name: '',
  isoCode: '',
  supplier: '',
  unit: 'st',
  price: '0',
  rentable: false,
  tracking: 'none',
  equivalenceGroup: '',
  gtins: '',
  hibc: '',
};

const lines = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/**
 * A supervisor's form for an article: what it is, how it is followed, its barcodes and the group
 * of articles it stands in for. Saved, the change reaches every station through the register.
 */
export function ArticleEditor({ draft, onSaved }: { draft: ArticleDraft; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState(draft);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const { data: groups } = useCall('stock.equivalenceGroups', {}, []);
  const set = (part: Partial<ArticleDraft>) => (setSaved(false), setD((x) => ({ ...x, ...part })));
  const price = Number(d.price.replace(/\s/g, '').replace(',', '.'));
  return (
    <form
      className="settings-form"
      data-testid="article-editor"
      onSubmit={(e) => {
        e.preventDefault();
        call('stock.saveArticle', {
          id: d.id,
          articleNumber: d.articleNumber,
          name: d.name,
          isoCode: d.isoCode,
          supplier: d.supplier,
          unit: d.unit,
          purchasePrice: Number.isFinite(price) ? Math.round(price * 100) : -1,
          rentable: d.rentable,
          tracking: d.rentable ? 'none' : d.tracking,
          equivalenceGroup: d.equivalenceGroup || null,
          gtins: lines(d.gtins),
          hibc: lines(d.hibc),
        }).then((a) => {
          setError(null);
          setSaved(true);
          setD((x) => ({ ...x, id: a.id as string }));
          onSaved(a.id as string);
        }, setError);
      }}
    >
      <div className="form-row">
        <label>
          {t('article.number')}
          <input value={d.articleNumber} onChange={(e) => set({ articleNumber: e.target.value })} required maxLength={32} className="code" />
        </label>
        <label className="wide">
          {t('article.name')}
          <input value={d.name} onChange={(e) => set({ name: e.target.value })} required maxLength={120} />
        </label>
      </div>
      <div className="form-row">
        <label>
          {t('article.iso')}
          <input value={d.isoCode} onChange={(e) => set({ isoCode: e.target.value.replace(/\D/g, '') })} required inputMode="numeric" maxLength={6} />
        </label>
        <label>
          {t('article.supplier')}
          <input value={d.supplier} onChange={(e) => set({ supplier: e.target.value })} required maxLength={80} />
        </label>
        <label>
          {t('article.unit')}
          <input value={d.unit} onChange={(e) => set({ unit: e.target.value })} required maxLength={12} />
        </label>
        <label>
          {t('article.priceKr')}
          <input value={d.price} onChange={(e) => set({ price: e.target.value.replace(/[^\d,.\s]/g, '') })} required inputMode="decimal" />
        </label>
      </div>
      <div className="form-row">
        <label className="check">
          <input type="checkbox" checked={d.rentable} onChange={(e) => set({ rentable: e.target.checked })} />
          {t('article.rentableOneByOne')}
        </label>
        {!d.rentable && (
          <label>
            {t('article.tracking')}
            <select value={d.tracking} onChange={(e) => set({ tracking: e.target.value as Tracking })}>
              {(['none', 'lot', 'lot_expiry'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`article.trackingKinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {d.rentable && (
          <label className="wide">
            {t('article.equivalenceGroup')}
            <input value={d.equivalenceGroup} onChange={(e) => set({ equivalenceGroup: e.target.value })} maxLength={60} list="equivalence-groups" />
            <datalist id="equivalence-groups">
              {groups?.map((g) => <option key={g.name} value={g.name} />)}
            </datalist>
          </label>
        )}
      </div>
      {d.rentable && <p className="muted">{t('article.equivalenceHelp')}</p>}
      <div className="form-row">
        <label className="wide">
          {t('article.gtinsOnePerLine')}
          <textarea value={d.gtins} onChange={(e) => set({ gtins: e.target.value })} rows={2} className="code" />
        </label>
        <label className="wide">
          {t('article.hibcOnePerLine')}
          <textarea value={d.hibc} onChange={(e) => set({ hibc: e.target.value })} rows={2} className="code" />
        </label>
      </div>
      <div className="form-row">
        <button type="submit">{t('article.save')}</button>
      </div>
      <ErrorNote error={error} />
      {saved && <p role="status">{t('article.saved')}</p>}
    </form>
  );
}

/** The new-article screen: the editor, then the article's own page. */
export function NewArticlePage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page">
      <h1>{t('article.newTitle')}</h1>
      <p className="muted">{t('article.newHelp')}</p>
      <ArticleEditor draft={NEW_ARTICLE} onSaved={(id) => navigate(href('article', id))} />
    </main>
  );
}
