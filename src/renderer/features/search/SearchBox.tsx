// The search field at the top of the list. `/` focuses it; Escape clears it and returns to the list.
import { forwardRef } from 'react';
import './search.css';

interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  onExit: () => void;
}

export const SEARCH_INPUT_ID = 'library-search';

export const SearchBox = forwardRef<HTMLInputElement, SearchBoxProps>(function SearchBox(
  { value, onChange, onExit },
  ref,
) {
  return (
    <div className="search" role="search">
      <span className="search__icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={ref}
        id={SEARCH_INPUT_ID}
        type="search"
        className="search__input"
        aria-label="Search"
        placeholder="Search titles, notes, tags…"
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onChange('');
            onExit();
          } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
            event.preventDefault();
            onExit();
          }
        }}
      />
      <kbd className="search__kbd" aria-hidden="true">
        /
      </kbd>
    </div>
  );
});
