import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, SessionStatus, useSession } from './useSession';

/** At a depot: scan the pallet's SSCC and everything on it comes in; then report what is missing. The workflow runs in the core. */
export function PalletReceivePage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('pallet-receipt');
  const pallet = state?.pallet ?? null;

  return (
    <main id="main" className="page">
      <h1>{t('palletIn.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      {pallet && (
        <section aria-labelledby="pallet-in-h" className="card">
          <h2 id="pallet-in-h">
            <span className="code">{pallet.sscc}</span> · {pallet.deliveryPoint}
          </h2>
          <table className="table" data-testid="received-items">
            <thead>
              <tr>
                <th scope="col">{t('individual.article')}</th>
                <th scope="col">{t('individual.number')}</th>
                <th scope="col" className="num">{t('article.quantity')}</th>
                <th scope="col">{t('printing.state')}</th>
              </tr>
            </thead>
            <tbody>
              {pallet.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td className="code">{i.individualNumber ?? ''}</td>
                  <td className="num">{i.quantity}</td>
                  <td>
                    {t(`palletIn.states.${i.receivedState}`, { defaultValue: i.receivedState })}{' '}
                    {i.receivedState === 'received' && (
                      <button type="button" onClick={() => send({ kind: 'missing', itemId: i.id })}>
                        {t('palletIn.missing')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
