import { z } from "zod";
import { endpointCoreConfigOutput } from "./serving-endpoint";

/** At most this many configs per page of GET …/config-versions. */
const MAX_CONFIG_VERSIONS_PAGE = 100;
const DEFAULT_CONFIG_VERSIONS_PAGE = 20;

/** Query of GET /api/2.0/serving-endpoints/{name}/config-versions (Edgeserve extension), newest first. */
export const listConfigVersionsQuery = z.strictObject({
  page_size: z
    .string()
    .regex(/^\d{1,3}$/, "page_size must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_CONFIG_VERSIONS_PAGE, `page_size must be 1 to ${MAX_CONFIG_VERSIONS_PAGE}`))
    .default(DEFAULT_CONFIG_VERSIONS_PAGE)
    .describe(`Configs per page, 1 to ${MAX_CONFIG_VERSIONS_PAGE} (default ${DEFAULT_CONFIG_VERSIONS_PAGE}).`),
  page_token: z
    .string()
    .regex(/^\d{1,9}$/, "page_token: pass the next_page_token of a previous response unchanged")
    .optional(),
});

/** `config_version` in the path of GET …/config-versions/{config_version}. */
export const configVersionParam = z
  .string()
  .regex(/^\d{1,9}$/, "config_version must be a positive integer")
  .transform(Number);

/**
 * A config the endpoint served: as GET shows `config` (secrets as `{{secrets/…}}` references), and when it
 * went live.
 */
export const configVersionEntry = z.object({
  config_version: z.number().int(),
  /** When its deployment made it the active config, epoch ms. */
  promoted_at: z.number().int(),
  config: endpointCoreConfigOutput,
});
export type ConfigVersionEntry = z.infer<typeof configVersionEntry>;

export const listConfigVersionsResponse = z.object({
  config_versions: z.array(configVersionEntry),
  next_page_token: z.string().optional().describe("Present when older configs follow: pass it as `page_token`."),
});
export type ListConfigVersionsResponse = z.infer<typeof listConfigVersionsResponse>;
