import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A button for what cannot be taken back or costs money (cancel a count, place a purchase order,
 * retire a location): pressed, it asks its question right where it is, beside itself, and does
 * nothing until the person answers yes. No dialog, nothing far away on the page: the question is
 * where the eyes already are, and the yes-button takes the focus. Escape or "No" leaves it be.
 */
export function ConfirmButton({
  children,
  question,
  yes,
  onConfirm,
  className,
  disabled = false,
  testId,
}: {
  /** The button as it is offered. */
  children: ReactNode;
  /** What is asked, in a whole sentence: "Avbryta inventering C-0003? Det som räknats sparas inte." */
  question: string;
  /** The answer that does it ("Ja, avbryt inventeringen"). */
  yes: string;
  onConfirm: () => void | Promise<void>;
  className?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const yesRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) yesRef.current?.focus();
    else if (wasAsking.current) askRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button type="button" ref={askRef} className={className} disabled={disabled} onClick={() => setAsking(true)} data-testid={testId}>
        {children}
      </button>
    );
  return (
    <span
      className="confirm"
      role="group"
      aria-label={question}
      data-testid={testId && `${testId}-confirm`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          setAsking(false);
        }
      }}
    >
      <span className="confirm-question" role="alert">{question}</span>
      <button
        type="button"
        ref={yesRef}
        className={className ?? 'primary'}
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
      >
        {yes}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('confirm.no')}
      </button>
    </span>
  );
}
