import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, CallFailed } from '../../bridge/client';
import { localized } from '../../i18n';

/** A button that queues labels, and says what happened. */
export function PrintLabelButton({ label, print }: { label: string; print: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  return (
    <span className="print-button">
      <button
        type="button"
        onClick={() =>
          void print().then(
            () => setNote(t('printing.queued')),
            (e: unknown) => setNote(e instanceof CallFailed ? localized(e.error.message) : String(e)),
          )
        }
      >
        {label}
      </button>
      <span role="status" className="muted">
        {note}
      </span>
    </span>
  );
}

export const printIndividualLabel = (id: string) => call('labels.individual', { individualIds: [id] });
export const printLocationLabels = (fromCode: string, toCode?: string) => call('labels.locations', toCode ? { fromCode, toCode } : { fromCode });
