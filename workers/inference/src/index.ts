import type { InferenceEnv } from "./env";
import { route } from "./router";

export { InferenceService } from "./inference-service";

/** The default entrypoint: the HTTP routes only (the gateway binds InferenceService, which adds RPC). */
export default {
  fetch: route,
} satisfies ExportedHandler<InferenceEnv>;
