import { useState } from "preact/hooks";
import { type PayloadLogRecord, type PayloadLogSearch, listPayloadLogs } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { Pager, usePageTokens } from "../../components/pager";
import { useApi } from "../../components/use-api";
import { playgroundLinkOfPayloadLog } from "../../playground/payload-log-link";

const DAY = 86_400_000;
const PAGE_SIZE = 50;

/** Payload logs of the last 7 days, a page at a time, searched by the API; bodies are shown as text, never rendered. */
export function PayloadLogsTab({ name }: { name: string }) {
  const pages = usePageTokens();
  const [search, setSearch] = useState<PayloadLogSearch>({});
  const [open, setOpen] = useState<PayloadLogRecord>();
  const [startTime] = useState(() => Date.now() - 7 * DAY);
  const pageToken = pages.pageToken;
  const { data, error, loading } = useApi(
    (signal) => listPayloadLogs(name, { startTime, maxResults: PAGE_SIZE, pageToken, search }, signal),
    [name, pageToken, search],
  );
  const records = data?.payload_logs ?? [];
  const searching = Boolean(search.requestId || search.status || search.text);
  const submit = (e: Event) => {
    e.preventDefault();
    const fields = new FormData(e.currentTarget as HTMLFormElement);
    const text = (key: string) => String(fields.get(key) ?? "").trim() || undefined;
    const status = text("status") as PayloadLogSearch["status"];
    setSearch({
      ...(text("request_id") && { requestId: text("request_id") }),
      ...(status && { status }),
      ...(text("text") && { text: text("text") }),
    });
    pages.reset();
  };
  return (
    <section aria-labelledby="payload-title">
      <h2 id="payload-title">Payload logs</h2>
      <form class="toolbar" aria-label="Search payload logs" onSubmit={submit}>
        <label for="payload-request-id">Request id</label>
        <input id="payload-request-id" name="request_id" maxLength={256} />
        <label for="payload-status">Status</label>
        <select id="payload-status" name="status">
          <option value="">Any</option>
          <option value="success">Success (below 400)</option>
          <option value="error">Error (400 and above)</option>
        </select>
        <label for="payload-text">Text in request, response or requester</label>
        <input id="payload-text" name="text" type="search" maxLength={200} />
        <button type="submit">Search</button>
      </form>
      <p class="help">
        Last 7 days, when payload logging (AI Gateway inference tables) is on. The search runs on the server and reads a
        bounded part of the log per call, so a page may hold fewer than 50 matches (even none) while Next page goes on.
      </p>
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
              <td colSpan={5}>
                {searching
                  ? `No matches${data?.next_page_token ? " in this part of the log: try the next page" : ""}.`
                  : "No payload logs."}
              </td>
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
