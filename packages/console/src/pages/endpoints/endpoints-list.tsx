import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { listEndpoints } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { StateBadge } from "../../components/state-badge";
import { useApi } from "../../components/use-api";
import { describeEntity, describeKind } from "./describe-entities";

/** Rows per page: the server reads this many (plus one) however many endpoints exist. */
const PAGE_SIZE = 50;

/**
 * Serving endpoints, a server page at a time (page_size / page_token), searched on the server by name, creator
 * or task. The search is in the URL (?q=), so a filtered list can be shared or reloaded.
 */
export function EndpointsList() {
  const { query, route, path } = useLocation();
  const search = query.q ?? "";
  const [draft, setDraft] = useState(search);
  // Tokens of the pages before this one: "Previous" pops one.
  const [tokens, setTokens] = useState<string[]>([]);
  const pageToken = tokens[tokens.length - 1];
  const { data, error, loading } = useApi(
    (signal) => listEndpoints({ pageSize: PAGE_SIZE, pageToken, search: search || undefined }, signal),
    [search, pageToken],
  );
  // Typing searches after a short pause; the first page of the new search.
  useEffect(() => {
    if (draft === search) return;
    const timer = setTimeout(() => {
      setTokens([]);
      route(draft ? `${path}?q=${encodeURIComponent(draft)}` : path, true);
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, search, path, route]);

  const endpoints = data?.endpoints ?? [];
  return (
    <section>
      <div class="page-title">
        <h1>Serving endpoints</h1>
        <a class="button" href="/endpoints/new">
          Create serving endpoint
        </a>
      </div>
      <div class="toolbar">
        <label for="endpoint-search">Search</label>
        <input
          id="endpoint-search"
          type="search"
          placeholder="Name, creator or task"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
      </div>
      <ErrorMessage error={error} />
      <p aria-live="polite" class="help">
        {loading ? "Loading…" : `${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"} on this page`}
      </p>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Serving endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Task</th>
              <th scope="col">Kind</th>
              <th scope="col">Served</th>
              <th scope="col">Creator</th>
              <th scope="col">Last updated</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((e) => (
              <tr key={e.id}>
                <td>
                  <a href={`/endpoints/${encodeURIComponent(e.name)}`}>{e.name}</a>
                </td>
                <td>
                  <StateBadge state={e.state} />
                </td>
                <td>{e.task ?? "—"}</td>
                <td>{describeKind(e.endpoint_type)}</td>
                <td>{(e.config?.served_entities ?? []).map(describeEntity).join(", ") || "—"}</td>
                <td>{e.creator}</td>
                <td>{formatTime(e.last_updated_timestamp)}</td>
              </tr>
            ))}
            {!loading && endpoints.length === 0 ? (
              <tr>
                <td colSpan={7}>{search ? "No endpoint matches this search." : "No serving endpoints yet."}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages of endpoints">
        <button
          type="button"
          class="secondary"
          disabled={tokens.length === 0}
          onClick={() => setTokens((t) => t.slice(0, -1))}
        >
          Previous page
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!data?.next_page_token}
          onClick={() => data?.next_page_token && setTokens((t) => [...t, data.next_page_token!])}
        >
          Next page
        </button>
      </nav>
    </section>
  );
}
