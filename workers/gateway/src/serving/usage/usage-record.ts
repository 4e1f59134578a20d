/** One query's usage: what usage tracking, token rate limits and the usage API are built from. */
export interface UsageRecord {
  requestId: string;
  timestamp: number;
  endpointId: string;
  endpointName: string;
  servedEntity: string;
  /** user_name or service principal application_id. */
  requester: string;
  requesterKind: "user" | "service_principal";
  clientRequestId?: string;
  usageContext?: Record<string, unknown>;
  task: string | null;
  provider: string | null;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
  /** Counts estimated as (characters + 1) / 4 because the provider gave none. */
  estimated: boolean;
  status: number;
  latencyMs: number;
  /** USD by the operator's price table: pay-per-token (foundation model) calls only. */
  costUsd?: number;
}
