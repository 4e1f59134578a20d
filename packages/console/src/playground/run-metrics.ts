import type { Usage } from "./assemble-reply";

/** When a request's milestones happened, in milliseconds of one clock (performance.now()). */
export interface RunTimings {
  startedAt: number;
  /** The first text or tool-call delta (or the whole answer when not streaming). */
  firstTokenAt?: number;
  endedAt?: number;
}

export interface RunMetrics {
  timeToFirstTokenMs?: number;
  totalMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  /** Completion tokens over the total time, so two panes compare end to end as a user waits for them. */
  tokensPerSecond?: number;
}

/**
 * A pane's numbers for one request. Token counts are the gateway's `usage`; a stream stopped before its end
 * gets none (the usage chunk comes last), and then neither tokens nor tokens/s are shown rather than guessed.
 */
export function metricsOf(timings: RunTimings, usage: Usage | undefined): RunMetrics {
  const metrics: RunMetrics = {};
  if (timings.firstTokenAt !== undefined) metrics.timeToFirstTokenMs = timings.firstTokenAt - timings.startedAt;
  if (timings.endedAt !== undefined) metrics.totalMs = timings.endedAt - timings.startedAt;
  if (usage) {
    metrics.promptTokens = usage.prompt_tokens;
    metrics.completionTokens = usage.completion_tokens ?? usage.total_tokens - usage.prompt_tokens;
    if (metrics.totalMs && metrics.totalMs > 0)
      metrics.tokensPerSecond = metrics.completionTokens / (metrics.totalMs / 1000);
  }
  return metrics;
}

/** `850 ms`, `2.41 s`; an em dash when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatRate(perSecond: number | undefined): string {
  return perSecond === undefined ? "—" : perSecond.toFixed(perSecond < 10 ? 1 : 0);
}
