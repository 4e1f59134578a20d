import type { AclEntry } from "../permissions/endpoint-access";
import type { EndpointRow } from "./store";
import type { StoredConfig } from "./stored-config";

/** What the query path needs of an endpoint, cached per isolate. */
export interface LiveEndpoint {
  row: EndpointRow;
  /** The active config (null while the first deployment is still in flight, or if it failed). */
  config: StoredConfig | null;
  acl: AclEntry[];
  /**
   * Memo for dispatchers (decrypted credentials), so a warm request does no D1 read and no decryption.
   * It lives exactly as long as this cache entry: a rotated or deleted secret (which changes no config
   * version) is picked up by every isolate at its next reload, within `EDGESERVE_CACHE_TTL_MS`.
   */
  memo: Map<string, unknown>;
}
