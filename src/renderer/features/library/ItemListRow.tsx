// One link in the list: title, host, description, tags, when it was added and whether I read it.
import type { MouseEvent } from 'react';
import type { ItemRow } from '../../data/types';
import { markdownToPlain } from '../notes/plainText';
import { Highlight } from '../search/Highlight';
import { matchesAny, matchSnippet } from '../search/terms';
import { PublicationBadges } from '../publish/PublicationBadges';
import { ItemPresence } from '../sync/PresenceAvatars';
import { displayTitle, formatAdded, rowLabel } from './format';

/** A typical row with a description and tags; real heights are measured. */
export const ROW_ESTIMATE = 78;

interface ItemListRowProps {
  row: ItemRow;
  domId: string;
  index: number;
  top: number;
  isCurrent: boolean;
  isSelected: boolean;
  terms: string[] | undefined;
  onClick: (event: MouseEvent) => void;
  onDoubleClick: () => void;
  onToggle: () => void;
  measureRef: (element: HTMLElement | null) => void;
}

export function ItemListRow({
  row,
  domId,
  index,
  top,
  isCurrent,
  isSelected,
  terms,
  onClick,
  onDoubleClick,
  onToggle,
  measureRef,
}: ItemListRowProps) {
  const unread = row.status === 'unread';
  const noteMatch =
    terms && !matchesAny(terms, row.title, row.description)
      ? matchSnippet(markdownToPlain(row.note), terms)
      : null;
  const classes = [
    'item-row',
    unread && 'item-row--unread',
    isCurrent && 'item-row--current',
    isSelected && 'item-row--selected',
  ];
  return (
    <div
      id={domId}
      ref={measureRef}
      data-index={index}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={isSelected}
      aria-current={isCurrent ? 'true' : undefined}
      aria-label={rowLabel(row)}
      className={classes.filter(Boolean).join(' ')}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
      onDoubleClick={onDoubleClick}
    >
      <div role="gridcell" className="item-row__cell">
        <input
          type="checkbox"
          className="item-row__check"
          aria-label={`Select ${displayTitle(row)}`}
          checked={isSelected}
          tabIndex={-1}
          onClick={(event) => event.stopPropagation()}
          onChange={onToggle}
        />
        <span className="item-row__dot" aria-hidden="true" title={unread ? 'Unread' : undefined} />
        <div className="item-row__body">
          <div className="item-row__top">
            <span className="item-row__title">
              <Highlight text={displayTitle(row)} terms={terms} />
            </span>
            <ItemPresence itemId={row.id} />
            <PublicationBadges row={row} />
            <time className="item-row__date" dateTime={new Date(row.addedAt).toISOString()}>
              {formatAdded(row.addedAt)}
            </time>
          </div>
          <div className="item-row__meta">
            <span className="item-row__host">{row.host}</span>
            {noteMatch ? (
              <span className="item-row__description">
                <span className="item-row__source">Note: </span>
                <Highlight text={noteMatch} terms={terms} />
              </span>
            ) : (
              row.description && (
                <span className="item-row__description">
                  <Highlight text={row.description} terms={terms} />
                </span>
              )
            )}
          </div>
          {row.tags.length > 0 && (
            <div className="item-row__tags">
              {row.tags.map((tag) => (
                <span key={tag} className="chip">
                  {tag}
                </span>
              ))}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
