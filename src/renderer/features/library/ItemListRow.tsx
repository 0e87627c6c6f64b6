// One link in the list: title, host, description, tags, when it was added and whether I read it.
import { memo, useMemo, type MouseEvent } from 'react';
import type { ItemRow } from '../../data/types';
import { markdownToPlain } from '../notes/plainText';
import { useArticleMatch } from '../search/articleMatches';
import { Highlight } from '../search/Highlight';
import { matchesAny, matchSnippet } from '../search/terms';
import { PublicationBadges } from '../publish/PublicationBadges';
import { ItemPresence } from '../sync/PresenceAvatars';
import { displayTitle, formatAdded, rowLabel } from './format';
import { UnreadableMark } from './UnreadableMark';

/**
 * Rows have one of two fixed heights, known from the data: the list never has to measure the DOM
 * (a forced layout per row) to place them, however many there are.
 */
const ROW_HEIGHT = 66;
const ROW_HEIGHT_TAGGED = 90;

export function rowHeight(row: ItemRow): number {
  return row.tags.length > 0 ? ROW_HEIGHT_TAGGED : ROW_HEIGHT;
}

interface ItemListRowProps {
  row: ItemRow;
  domId: string;
  index: number;
  top: number;
  isCurrent: boolean;
  isSelected: boolean;
  terms: readonly string[] | undefined;
  onClick: (event: MouseEvent) => void;
  onDoubleClick: () => void;
  onToggle: () => void;
  onShowTag: (tag: string) => void;
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
  onShowTag,
}: ItemListRowProps) {
  const unread = row.status === 'unread';
  const label = useMemo(() => rowLabel(row), [row]);
  const classes = [
    'item-row',
    unread && 'item-row--unread',
    isCurrent && 'item-row--current',
    isSelected && 'item-row--selected',
  ];
  return (
    <div
      id={domId}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={isSelected}
      aria-current={isCurrent ? 'true' : undefined}
      aria-label={label}
      className={classes.filter(Boolean).join(' ')}
      style={{ top, height: rowHeight(row) }}
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
        <RowBody row={row} terms={terms} onShowTag={onShowTag} />
      </div>
    </div>
  );
}

/**
 * What a row says. It depends only on the row and the search terms, so rows that merely move (a
 * link saved above them) or change selection are not rendered again.
 */
const RowBody = memo(function RowBody({
  row,
  terms,
  onShowTag,
}: {
  row: ItemRow;
  terms: readonly string[] | undefined;
  onShowTag: (tag: string) => void;
}) {
  const noteMatch =
    terms && !matchesAny(terms, row.title, row.description)
      ? matchSnippet(markdownToPlain(row.note), terms)
      : null;
  const article = useArticleMatch(row.id);
  const articleMatch =
    terms && !noteMatch && !matchesAny(terms, row.title, row.description, ...row.tags)
      ? article
      : null;
  return (
    <div className="item-row__body">
      <div className="item-row__top">
        <span className="item-row__title">
          <Highlight text={displayTitle(row)} terms={terms} />
        </span>
        <UnreadableMark row={row} />
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
        ) : articleMatch ? (
          <span className="item-row__description">
            <span className="item-row__source">
              {articleMatch.hit.where === 'highlight' ? 'In a highlight: ' : 'In the article: '}
            </span>
            <Highlight text={articleMatch.hit.snippet} terms={articleMatch.terms} />
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
            // Out of the tab order like the row's checkbox: the grid is one tab stop, and the
            // sidebar lists every tag for the keyboard.
            <button
              key={tag}
              type="button"
              className="chip chip--button"
              tabIndex={-1}
              title={`Show links tagged #${tag}`}
              onClick={(event) => {
                event.stopPropagation();
                onShowTag(tag);
              }}
            >
              <Highlight text={tag} terms={terms} />
            </button>
          ))}
        </div>
      )}
    </div>
  );
});
