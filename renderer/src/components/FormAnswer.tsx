import { useEffect, useRef } from 'react';
import { ErrorNote } from './ErrorNote';

/**
 * What a form's last press did, shown under its button: the station's refusal or the form's note.
 * It is brought into view whenever it changes, since the form may be far down its page, below
 * what the worker sees of it.
 */
export function FormAnswer({ note, error, testId }: { note: string | null; error: unknown; testId?: string }) {
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (note || error) shown.current?.scrollIntoView({ block: 'nearest' });
  }, [note, error]);
  return (
    <div data-testid={testId} ref={shown}>
      <ErrorNote error={error} />
      {note && (
        <p role="status" className="note">
          {note}
        </p>
      )}
    </div>
  );
}
