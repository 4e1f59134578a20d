import { useState } from "preact/hooks";
import { type PayloadLogRecord, listPayloadLogs } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { Pager, usePageTokens } from "../../components/pager";
import { useApi } from "../../components/use-api";
import { playgroundLinkOfPayloadLog } from "../../playground/payload-log-link";

const DAY = 86_400_000;

/** Searches the text a record shows (ids, requester, status, bodies). */
function matches(record: PayloadLogRecord, search: string): boolean {
  const needle = search.toLowerCase();
  return [
    record.databricks_request_id,
    record.client_request_id ?? "",
    record.requester,
    String(record.status_code),
    record.request ?? "",
    record.response ?? "",
  ].some((field) => field.toLowerCase().includes(needle));
}

/** Payload logs of the last 7 days, a page at a time; bodies are shown as text, never rendered. */
export function PayloadLogsTab({ name }: { name: string }) {
  const pages = usePageTokens();
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState<PayloadLogRecord>();
  const [startTime] = useState(() => Date.now() - 7 * DAY);
  const pageToken = pages.pageToken;
  const { data, error, loading } = useApi(
    (signal) => listPayloadLogs(name, { startTime, maxResults: 50, pageToken }, signal),
    [name, pageToken],
  );
  const records = (data?.payload_logs ?? []).filter((r) => !search || matches(r, search));
  return (
    <section aria-labelledby="payload-title">
      <h2 id="payload-title">Payload logs</h2>
      <div class="toolbar">
        <label for="payload-search">Search this page</label>
        <input id="payload-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
      </div>
      <p class="help">Last 7 days, when payload logging (AI Gateway inference tables) is on.</p>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Request id</th>
            <th scope="col">Requester</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.databricks_request_id}>
              <td>{new Date(r.timestamp_ms).toLocaleString()}</td>
              <td>
                <button type="button" class="link-button" onClick={() => setOpen(r)}>
                  {r.databricks_request_id}
                </button>
              </td>
              <td>{r.requester}</td>
              <td>{r.status_code}</td>
              <td>{r.execution_duration_ms} ms</td>
            </tr>
          ))}
          {!loading && records.length === 0 ? (
            <tr>
              <td colSpan={5}>No payload logs{search ? " match" : ""}.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager label="Pages of payload logs" pages={pages} nextPageToken={data?.next_page_token} />
      {open ? (
        <section aria-labelledby="payload-open-title" class="panel">
          <h3 id="payload-open-title">Request {open.databricks_request_id}</h3>
          <button type="button" class="secondary" onClick={() => setOpen(undefined)}>
            Close
          </button>
          <PlaygroundLink name={name} request={open.request} />
          <h4>Request</h4>
          <pre>{open.request ?? `(not logged: ${open.logging_error_codes.join(", ")})`}</pre>
          <h4>Response</h4>
          <pre>{open.response ?? `(not logged: ${open.logging_error_codes.join(", ")})`}</pre>
        </section>
      ) : null}
    </section>
  );
}

/** "Open in the Playground" for a logged chat request (its endpoint, settings and last question); none otherwise. */
function PlaygroundLink({ name, request }: { name: string; request: string | null }) {
  const link = playgroundLinkOfPayloadLog(name, request);
  return link ? <a href={link}>Open in the Playground</a> : null;
}
