/**
 * Runs one batch of distinct calls against the gateway (in the worker thread): at most `concurrency` in
 * flight, 429/5xx retried (retry.ts), each call tagged with usage_context {source: "ai_query",
 * statement_id} so the gateway's usage records say which statement made them.
 */
import type { CallOutcome, CallSpec, RowPayload } from "../call-spec";
import { type GatewayClient, toGatewayError } from "../gateway/gateway-client";
import { addTo } from "./counters";
import { runPool } from "./pool";
import { type RetryPolicy, backoffMs, isRetryableStatus } from "./retry";
import { RowError, planCall, tokensOf } from "./requests";

export interface BatchItem {
  /** Identical requests share a key (the main thread sends each key once). */
  key: string;
  spec: string;
  payload: string;
}

export interface RunnerOptions {
  client: GatewayClient;
  concurrency: number;
  retry: RetryPolicy;
  counters: Int32Array;
  sleep?: (ms: number) => Promise<void>;
}

export function createCallRunner(options: RunnerOptions) {
  const { client, concurrency, retry, counters } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // An endpoint's task decides ai_query's request format; asked once per endpoint and run.
  const tasks = new Map<string, Promise<string | undefined>>();
  const taskOf = (endpoint: string) => {
    let task = tasks.get(endpoint);
    if (!task) {
      task = client.getEndpoint(endpoint).then((e) => e.task ?? e.config?.served_entities?.[0]?.external_model?.task);
      tasks.set(endpoint, task);
    }
    return task;
  };

  async function callOnce(item: BatchItem, statementId: string): Promise<CallOutcome> {
    const spec = JSON.parse(item.spec) as CallSpec;
    const row = JSON.parse(item.payload) as RowPayload;
    const endpoint = row.endpoint ?? spec.defaultEndpoint ?? "";
    const task = spec.fn === "ai_query" && endpoint ? await taskOf(endpoint) : undefined;
    const planned = planCall(spec, row, task);
    if (!planned) return { ok: true, value: null };
    const body = { ...planned.body, usage_context: { source: "ai_query", statement_id: statementId } };
    for (let attempt = 0; ; attempt++) {
      addTo(counters, "inFlight");
      let answer: Awaited<ReturnType<GatewayClient["invoke"]>> | null = null;
      let networkError: unknown = null;
      try {
        addTo(counters, "calls");
        answer = await client.invoke(planned.endpoint, body);
      } catch (e) {
        networkError = e;
      } finally {
        addTo(counters, "inFlight", -1);
      }
      const retryable = answer === null || isRetryableStatus(answer.status);
      if (retryable && attempt < retry.maxRetries) {
        addTo(counters, "retries");
        await sleep(backoffMs(attempt + 1, answer?.retryAfter ?? null, retry));
        continue;
      }
      if (answer === null) throw new RowError(`The gateway could not be reached: ${String(networkError)}`);
      if (answer.status >= 400) {
        const error = toGatewayError(answer);
        const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : "";
        throw new RowError(`${error.errorCode}: ${error.message}${tries}`);
      }
      const tokens = tokensOf(answer.body);
      addTo(counters, "inputTokens", tokens.input);
      addTo(counters, "outputTokens", tokens.output);
      return { ok: true, value: planned.read(answer.body) };
    }
  }

  /** Outcomes by key; a row's failure is its outcome, never the batch's. */
  return async function runBatch(items: BatchItem[], statementId: string): Promise<Map<string, CallOutcome>> {
    const outcomes = new Map<string, CallOutcome>();
    await runPool(items, concurrency, async (item) => {
      try {
        outcomes.set(item.key, await callOnce(item, statementId));
      } catch (e) {
        addTo(counters, "errors");
        outcomes.set(item.key, { ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    });
    return outcomes;
  };
}
