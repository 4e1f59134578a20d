import { z } from "zod";

/** How GET …/usage groups its rows: by requester, by served entity, or by UTC day. */
const usageGroupBy = z.enum(["user", "served_entity", "day"]);
export type UsageGroupBy = z.infer<typeof usageGroupBy>;

const DAY_MS = 86_400_000;
/** The default window when `start_time` is left out. */
export const DEFAULT_USAGE_WINDOW_MS = 30 * DAY_MS;

/** A `start_time`/`end_time` query parameter: epoch milliseconds as digits. */
export const epochMs = (field: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `'${field}' must be a time in milliseconds since epoch`)
    .transform(Number)
    .optional()
    .describe("Milliseconds since epoch.");

/** The refinement of a [start_time, end_time) window whose bounds are both optional: start before end. */
export const startBeforeEnd: [
  (q: { start_time?: number; end_time?: number }) => boolean,
  { path: string[]; message: string },
] = [
  (q) => q.start_time === undefined || q.end_time === undefined || q.start_time < q.end_time,
  { path: ["start_time"], message: "must be before end_time" },
];

/**
 * Query of GET /api/2.0/serving-endpoints/{name}/usage. The window is [start_time, end_time);
 * end_time defaults to now and start_time to 30 days before end_time.
 */
export const usageQuery = z
  .strictObject({
    start_time: epochMs("start_time"),
    end_time: epochMs("end_time"),
    group_by: usageGroupBy.default("served_entity").describe("user, served_entity (default) or day (UTC, YYYY-MM-DD)."),
  })
  .refine(...startBeforeEnd);

/** One group's totals. `group` is the user name or application id, the served entity's name, or the UTC day. */
export const usageRow = z.object({
  group: z.string(),
  request_count: z.number().int(),
  /** Requests the provider answered with an error (status ≥ 400). */
  error_count: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  /** Requests whose token counts were estimated ((characters + 1) / 4) because the provider gave none. */
  estimated_count: z.number().int(),
  /** USD by the operator's price table: Foundation Model API (pay-per-token) endpoints only. */
  cost_usd: z.number().optional(),
});
export type UsageRow = z.infer<typeof usageRow>;

export const usageResponse = z.object({
  endpoint_name: z.string(),
  start_time: z.number().int(),
  end_time: z.number().int(),
  group_by: usageGroupBy,
  usage: z.array(usageRow),
});
export type UsageResponse = z.infer<typeof usageResponse>;
