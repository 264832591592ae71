import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';

export interface VirtualListProps {
  id: string;
  count: number;
  rowHeight?: number;
  label: string;
  /** Listbox: rows are options, driven by `active` (combobox-style); list: rows hold their own links. */
  role: 'listbox' | 'list';
  active?: number;
  renderRow(index: number): ReactNode;
  onEndReached?: () => void;
  onKeyDown?: (e: React.KeyboardEvent) => void;
  /** Listbox only: a row was clicked. */
  onOpen?: (index: number) => void;
}

export const optionId = (listId: string, index: number): string => `${listId}-opt-${index}`;

/** Renders only the rows in view, so a list of 300,000 rows scrolls as fast as one of 30. */
export function VirtualList({ id, count, rowHeight = 48, label, role, active, renderRow, onEndReached, onKeyDown, onOpen }: VirtualListProps) {
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer hands out fresh functions each render; this component is not memoised
  const v = useVirtualizer({ count, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 8 });
  const items = v.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onEndReached && count > 0 && last >= count - 10) onEndReached();
  }, [last, count, onEndReached]);
  useEffect(() => {
    if (active !== undefined && active >= 0) v.scrollToIndex(active, { align: 'auto' });
  }, [active, v]);
  return (
    <div ref={parent} className="vlist" tabIndex={0} onKeyDown={onKeyDown}>
      <div id={id} role={role} aria-label={label} style={{ height: v.getTotalSize(), position: 'relative' }}>
        {items.map((it) => (
          <div
            key={it.key}
            {...(role === 'listbox'
              ? { role: 'option', id: optionId(id, it.index), 'aria-selected': it.index === active, onClick: () => onOpen?.(it.index) }
              : { role: 'listitem' })}
            className={it.index === active ? 'vrow active' : 'vrow'}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` }}
          >
            {renderRow(it.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
