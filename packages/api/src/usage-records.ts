import { z } from "zod";
import { epochMs, startBeforeEnd } from "./usage";

/** Records per page of GET …/usage/records: the default, and the most one page may hold. */
export const DEFAULT_USAGE_RECORDS_RESULTS = 1000;
const MAX_USAGE_RECORDS_RESULTS = 5000;

/**
 * Query of GET /api/2.0/serving-endpoints/{name}/usage/records (an Edgeserve extension): the window is
 * [start_time, end_time), end_time defaulting to now and start_time to 30 days before end_time, as for …/usage.
 */
export const listUsageRecordsQuery = z
  .strictObject({
    start_time: epochMs("start_time"),
    end_time: epochMs("end_time"),
    max_results: z
      .string()
      .regex(/^\d{1,5}$/, "'max_results' must be an integer")
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1)
          .max(MAX_USAGE_RECORDS_RESULTS, `'max_results' must be at most ${MAX_USAGE_RECORDS_RESULTS}`),
      )
      .optional(),
    page_token: z.string().min(1).max(512).optional(),
  })
  .refine(...startBeforeEnd);

/**
 * One provider call of a tracked query: a row of Databricks' `system.serving.endpoint_usage`, by its column
 * names (a query that fell back to another served entity has one record per entity it called).
 */
export const usageRecord = z.object({
  databricks_request_id: z.string(),
  client_request_id: z.string().nullable(),
  /** The user name or the service principal's application id. */
  requester: z.string(),
  /** When the provider call started, epoch ms. */
  request_time: z.number().int(),
  status_code: z.number().int(),
  input_token_count: z.number().int(),
  output_token_count: z.number().int(),
  /** The token counts were estimated ((characters + 1) / 4) because the provider gave none. */
  token_counts_estimated: z.boolean(),
  /** The request's `usage_context` as sent (string values), or null. */
  usage_context: z.record(z.string(), z.unknown()).nullable(),
  request_streaming: z.boolean(),
  served_entity_name: z.string(),
  execution_duration_ms: z.number().int(),
});
export type UsageRecord = z.infer<typeof usageRecord>;

export const listUsageRecordsResponse = z.object({
  endpoint_name: z.string(),
  usage_records: z.array(usageRecord),
  /** Pass as page_token (with the same window) for the next page; absent on the last page. */
  next_page_token: z.string().optional(),
});
export type ListUsageRecordsResponse = z.infer<typeof listUsageRecordsResponse>;
