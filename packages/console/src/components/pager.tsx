import { useState } from "preact/hooks";

/**
 * Paging over an API's `page_token`s: the tokens of the pages before this one, so "Previous" can go back
 * (the APIs page forward only). `pageToken` is the current page's (undefined on the first).
 */
export function usePageTokens() {
  const [tokens, setTokens] = useState<string[]>([]);
  return {
    pageToken: tokens[tokens.length - 1],
    hasPrevious: tokens.length > 0,
    previous: () => setTokens((t) => t.slice(0, -1)),
    next: (token: string) => setTokens((t) => [...t, token]),
    reset: () => setTokens([]),
  };
}

/** Previous / Next buttons; Next is off when the page had no next_page_token. */
export function Pager(props: { label: string; pages: ReturnType<typeof usePageTokens>; nextPageToken?: string }) {
  const { pages, nextPageToken } = props;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" class="secondary" disabled={!pages.hasPrevious} onClick={pages.previous}>
        Previous page
      </button>
      <button
        type="button"
        class="secondary"
        disabled={!nextPageToken}
        onClick={() => nextPageToken && pages.next(nextPageToken)}
      >
        Next page
      </button>
    </nav>
  );
}
