import type { ModelServerProtocol } from "@edgeserve/api";
import type { OipModelMetadata } from "./oip-protocol";

/**
 * Where a deployment placed a registry model that runs on a model server: stored in the entity's pinned
 * model, so a query needs no D1 read to forward it. A server changed later is picked up by the next
 * config update (as the registry version is).
 */
export interface ModelServerPlacement {
  /** The registered server's name. */
  server: string;
  protocol: ModelServerProtocol;
  base_url: string;
  /** `{{secrets/<scope>/<key>}}`, resolved per query (memoised on the cached endpoint). */
  bearer_token?: string;
  /** oip-v2: the model's name and version on the server. */
  model?: string;
  version?: string;
  /** oip-v2: the model's tensors as the server declared them at deployment (datatypes and shapes of queries). */
  metadata?: OipModelMetadata;
}
