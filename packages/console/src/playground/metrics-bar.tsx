import type { ChatRun } from "./chat-client";
import { formatDuration, formatRate, metricsOf } from "./run-metrics";

/** A pane's numbers for its latest request, as a description list screen readers read as pairs. */
export function MetricsBar({ run }: { run: ChatRun | undefined }) {
  const m = run ? metricsOf(run.timings, run.reply.usage) : {};
  const tokens = m.completionTokens === undefined ? "—" : `${m.promptTokens ?? "?"} in / ${m.completionTokens} out`;
  return (
    <dl class="pg-metrics" aria-label="Metrics of the latest request">
      <div>
        <dt>Time to first token</dt>
        <dd data-metric="ttft">{formatDuration(m.timeToFirstTokenMs)}</dd>
      </div>
      <div>
        <dt>Total time</dt>
        <dd data-metric="total">{formatDuration(m.totalMs)}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd data-metric="tokens">{tokens}</dd>
      </div>
      <div>
        <dt>Tokens/s</dt>
        <dd data-metric="tokens-per-second">{formatRate(m.tokensPerSecond)}</dd>
      </div>
    </dl>
  );
}
