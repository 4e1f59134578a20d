import { useState } from "preact/hooks";
import { type EndpointDetailed, queryEndpoint } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { querySnippets } from "./query-snippets";

/**
 * Query the endpoint from the page (with the signed-in user's token, as the API allows) and copy-ready
 * examples. The answer is shown as JSON text: model output is never rendered as HTML.
 */
export function QueryTab({ endpoint }: { endpoint: EndpointDetailed }) {
  const snippets = querySnippets(location.origin, endpoint.name, endpoint.task);
  const [request, setRequest] = useState(JSON.stringify(snippets.body, null, 2));
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [language, setLanguage] = useState<"curl" | "python" | "typescript">("curl");
  const send = async () => {
    setError(undefined);
    setAnswer(undefined);
    let body: unknown;
    try {
      body = JSON.parse(request);
    } catch (e) {
      setError(new Error(`The request is not valid JSON: ${(e as Error).message}`));
      return;
    }
    setBusy(true);
    try {
      setAnswer(JSON.stringify(await queryEndpoint(endpoint.name, body), null, 2));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="query-title">
      <h2 id="query-title">Query</h2>
      <label for="query-request">Request body (JSON)</label>
      <textarea
        id="query-request"
        class="code"
        rows={8}
        cols={80}
        value={request}
        onInput={(e) => setRequest(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
        aria-describedby="query-help"
      />
      <p id="query-help" class="help">
        Sent to <code>POST /serving-endpoints/{endpoint.name}/invocations</code> with your token. Ctrl+Enter sends.
      </p>
      <button type="button" onClick={send} disabled={busy}>
        {busy ? "Sending…" : "Send request"}
      </button>
      <ErrorMessage error={error} />
      {answer !== undefined ? (
        <>
          <h3>Response</h3>
          <pre data-testid="query-response" aria-live="polite">
            {answer}
          </pre>
        </>
      ) : null}
      <h3>Examples</h3>
      <div class="toolbar">
        <label for="snippet-language">Language</label>
        <select
          id="snippet-language"
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as typeof language)}
        >
          <option value="curl">curl</option>
          <option value="python">Python</option>
          <option value="typescript">TypeScript</option>
        </select>
        <button
          type="button"
          class="secondary"
          onClick={() => navigator.clipboard?.writeText(snippets[language])}
          aria-label={`Copy the ${language} example`}
        >
          Copy
        </button>
      </div>
      <pre data-testid="query-snippet">{snippets[language]}</pre>
      <p class="help">Set DATABRICKS_TOKEN to a personal access token first; the examples never contain yours.</p>
    </section>
  );
}
