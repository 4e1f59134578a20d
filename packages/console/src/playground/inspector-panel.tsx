import type { ChatRun } from "./chat-client";

/**
 * The raw response of a pane's latest request: status, request id (what its payload log is found by), the
 * served entity, rate-limit headers, and every stream frame as it arrived. Frames are shown as text.
 */
export function InspectorPanel({ run, endpoint }: { run: ChatRun | undefined; endpoint: string }) {
  if (!run) return <p class="help">No request yet.</p>;
  const facts = run.facts;
  return (
    <div>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{facts ? facts.status : "no response"}</dd>
        <dt>Request id</dt>
        <dd>
          {facts?.requestId ? (
            <>
              <code data-request-id>{facts.requestId}</code>{" "}
              <a href={`/endpoints/${encodeURIComponent(endpoint)}/payload-logs`}>payload logs of {endpoint}</a>
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>Served entity</dt>
        <dd>{facts?.servedModel ?? "—"}</dd>
        <dt>Rate-limit headers</dt>
        <dd>
          {facts?.rateLimit.length
            ? facts.rateLimit.map(([name, value]) => (
                <div key={name}>
                  <code>
                    {name}: {value}
                  </code>
                </div>
              ))
            : "none sent"}
        </dd>
        <dt>Frames</dt>
        <dd>{run.frames.length}</dd>
      </dl>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
      <pre class="pg-frames" tabIndex={0}>
        {run.frames.map((f) => `+${Math.round(f.atMs)} ms  ${f.data}`).join("\n")}
      </pre>
    </div>
  );
}
