import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../../api/contract';
import { call, subscribe } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import i18n, { formatDateTime } from '../../i18n';
import { printFault } from '../../i18n/faults';
import { Gs1Settings } from './Gs1Settings';
import { LABEL_KINDS, LABEL_SIZES, stockTakes } from '../../../../vocabulary/zpl';

type Printer = CallInput<'printers.save'>['printers'][number];
type Job = CallOutput<'print.jobs'>[number];
type Preview = CallOutput<'print.preview'>;

const newPrinter = (n: number): Printer => ({
  id: `printer-${Date.now().toString(36)}-${n}`,
  name: i18n.t('printing.defaultName', { n }),
  connection: { kind: 'tcp', host: '', port: 9100 },
  dpi: 203,
  labelSize: { widthMm: 50, heightMm: 25 },
  // A new printer has the small individual labels; it takes other labels once its label size fits them.
  kinds: ['individual', 'test'],
});

/** How wide a label's preview is drawn: 6 px a millimetre (a 50 mm label 300 px, legible at a glance), 300 px at the least. */
const previewWidth = (widthMm: number): number => Math.max(300, Math.round(widthMm * 6));

/** Label printers at this station, and the print queue with its state, reprints and previews. */
/** Printing: everyone sees the printers, the queue and test prints; a supervisor sets printers up. */
export function PrintingPage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const [printers, setPrinters] = useState<Printer[] | null>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [preview, setPreview] = useState<(Preview & { title: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');

  useEffect(() => {
    call('printers.list', {}).then((p) => setPrinters(p as Printer[]), setError);
    call('print.jobs', {}).then(setJobs, setError);
    return subscribe((e) => {
      if (e.type === 'print.job') setJobs((js) => [e.job, ...js.filter((j) => j.id !== e.job.id)].sort((a, b) => b.createdAt - a.createdAt));
    });
  }, []);

  const update = (i: number, patch: Partial<Printer>) => setPrinters((ps) => (ps ?? []).map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const act = async (f: () => Promise<unknown>, done?: string) => {
    try {
      await f();
      setError(null);
      if (done) setNote(done);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <main id="main" className="page">
      <h1>{t('printing.title')}</h1>
      <ErrorNote error={error} />
      <p role="status" className="muted">{note}</p>
      <section aria-labelledby="printers-h" aria-busy={printers === null}>
        <h2 id="printers-h">{t('printing.printers')}</h2>
        {printers?.length === 0 && <p className="muted">{t(supervisor ? 'printing.none' : 'printing.noneYet')}</p>}
        {(printers ?? []).map((p, i) => (
          <fieldset key={p.id} className="card scanner">
            <legend>{p.name}</legend>
            <div className="form-grid">
              <label>
                {t('scanners.name')}
                <input value={p.name} onChange={(e) => update(i, { name: e.target.value })} />
              </label>
              <label>
                {t('printing.connection')}
                <select
                  value={p.connection.kind}
                  onChange={(e) => update(i, { connection: e.target.value === 'tcp' ? { kind: 'tcp', host: '', port: 9100 } : { kind: 'serial', path: '', baudRate: 9600 } })}
                >
                  <option value="tcp">{t('printing.network')}</option>
                  <option value="serial">{t('scanners.serial')}</option>
                </select>
              </label>
              {p.connection.kind === 'tcp' ? (
                <>
                  <label>
                    {t('printing.host')}
                    <input value={p.connection.host} onChange={(e) => update(i, { connection: { ...p.connection, host: e.target.value } as Printer['connection'] })} />
                  </label>
                  <label>
                    {t('printing.port')}
                    <input type="number" value={p.connection.port} onChange={(e) => update(i, { connection: { ...p.connection, port: Number(e.target.value) } as Printer['connection'] })} />
                  </label>
                </>
              ) : (
                <label>
                  {t('scanners.path')}
                  <input value={p.connection.path} onChange={(e) => update(i, { connection: { ...p.connection, path: e.target.value } as Printer['connection'] })} />
                </label>
              )}
              <label>
                {t('printing.dpi')}
                <select value={p.dpi} onChange={(e) => update(i, { dpi: Number(e.target.value) === 300 ? 300 : 203 })}>
                  <option value={203}>203 dpi</option>
                  <option value={300}>300 dpi</option>
                </select>
              </label>
              <label>
                {t('printing.width')}
                <input type="number" value={p.labelSize.widthMm} onChange={(e) => update(i, { labelSize: { ...p.labelSize, widthMm: Number(e.target.value) } })} />
              </label>
              <label>
                {t('printing.height')}
                <input type="number" value={p.labelSize.heightMm} onChange={(e) => update(i, { labelSize: { ...p.labelSize, heightMm: Number(e.target.value) } })} />
              </label>
            </div>
            <fieldset className="label-kinds">
              <legend>{t('printing.kinds')}</legend>
              {LABEL_KINDS.map((k) => {
                const fits = stockTakes(p.labelSize, k);
                const on = p.kinds.includes(k);
                return (
                  <label key={k} className={fits ? undefined : 'muted'}>
                    <input type="checkbox" checked={on} disabled={!fits && !on} onChange={(e) => update(i, { kinds: e.target.checked ? [...p.kinds, k] : p.kinds.filter((x) => x !== k) })} />{' '}
                    {t(`printing.kindNames.${k}`)} ({LABEL_SIZES[k].widthMm}×{LABEL_SIZES[k].heightMm} mm){fits ? '' : ` – ${t('printing.tooSmall')}`}
                  </label>
                );
              })}
            </fieldset>
            <p className="actions">
              <button type="button" onClick={() => void act(() => call('printers.test', { printerId: p.id }), t('printing.testQueued'))}>
                {t('printing.test')}
              </button>
              <button
                type="button"
                onClick={() =>
                  void act(async () => {
                    const s = await call('printers.status', { printerId: p.id });
                    setNote(s.ok ? t('printing.ready', { name: p.name }) : t('printing.fault', { name: p.name, fault: t(`printing.faults.${s.fault}`) }));
                  })
                }
              >
                {t('printing.checkStatus')}
              </button>
              <button type="button" onClick={() => setPrinters((ps) => (ps ?? []).filter((_, j) => j !== i))}>
                {t('scanners.remove')}
              </button>
            </p>
          </fieldset>
        ))}
        {supervisor ? (
          <p className="actions">
            <button type="button" disabled={printers === null} onClick={() => setPrinters((ps) => [...(ps ?? []), newPrinter((ps?.length ?? 0) + 1)])}>
              {t('printing.add')}
            </button>
            <button type="button" className="primary" disabled={printers === null} onClick={() => void act(() => call('printers.save', { printers: printers ?? [] }), t('scanners.saved'))}>
              {t('scanners.save')}
            </button>
          </p>
        ) : (
          <p className="muted">{t('scanners.supervisorSetsUp')}</p>
        )}
      </section>
      <Gs1Settings supervisor={supervisor} />
      <section aria-labelledby="queue-h">
        <h2 id="queue-h">{t('printing.queue')}</h2>
        {jobs.length === 0 ? (
          <p className="muted">{t('printing.noJobs')}</p>
        ) : (
          <table className="table" data-testid="print-queue">
            <thead>
              <tr>
                <th scope="col">{t('printing.label')}</th>
                <th scope="col">{t('printing.state')}</th>
                <th scope="col">{t('printing.created')}</th>
                <th scope="col">{t('printing.lastError')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('printing.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>{j.title}</td>
                  <td>
                    <span className={`chip job-${j.state}`}>{t(`printing.states.${j.state}`)}</span> {j.attempts > 1 ? `(${j.attempts})` : ''}
                  </td>
                  <td>{formatDateTime(j.createdAt)}</td>
                  <td className="muted">{printFault(j.lastError)}</td>
                  <td className="actions">
                    <button type="button" onClick={() => void act(async () => setPreview({ ...(await call('print.preview', { jobId: j.id })), title: j.title }))}>
                      {t('printing.preview')}
                    </button>
                    <button type="button" onClick={() => void act(() => call('print.reprint', { jobId: j.id }), t('printing.reprinted'))}>
                      {t('printing.reprint')}
                    </button>
                    {(j.state === 'queued' || j.state === 'waiting') && (
                      <button type="button" onClick={() => void act(() => call('print.cancel', { jobId: j.id }))}>
                        {t('printing.cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {preview && (
        <section aria-labelledby="preview-h" className="card">
          <h2 id="preview-h">
            {t('printing.preview')}: {preview.title}
          </h2>
          {preview.images.map((src, i) => (
            <img key={i} src={src} alt={t('printing.previewAlt', { title: preview.title })} className="label-preview" style={{ width: `${previewWidth(preview.widthMm)}px` }} />
          ))}
        </section>
      )}
    </main>
  );
}
