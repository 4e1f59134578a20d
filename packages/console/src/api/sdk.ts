// The SDK's client and error modules only: its stream reader (for Node and browsers alike) is not needed here,
// and the Playground reads streams itself.
import { ApiError as SdkApiError } from "@edgeserve/sdk/api-error";
import { type EdgeserveClient, createEdgeserveClient, unwrap } from "@edgeserve/sdk/client";
import { ApiError } from "./api-error";
import { currentToken, setToken } from "./session";

const clients = new Map<string, EdgeserveClient>();

/** The typed client (@edgeserve/sdk) of this origin's API, with the given token or the session's. */
export function client(token = currentToken() ?? ""): EdgeserveClient {
  let c = clients.get(token);
  if (!c) {
    c = createEdgeserveClient({ host: location.origin, ...(token ? { token } : {}) });
    clients.set(token, c);
  }
  return c;
}

type CallResult = { data?: unknown; error?: unknown; response: Response };

/**
 * Awaits an SDK call and returns its success body. The SDK's errors become the console's ApiError (the API's
 * own error_code, message and request id); a 401 to the session's token ends the session.
 */
export async function sdkCall<R extends CallResult>(
  request: Promise<R>,
  { sessionToken = true } = {},
): Promise<Exclude<R["data"], undefined>> {
  try {
    return await unwrap(request);
  } catch (e) {
    if (e instanceof SdkApiError) {
      if (e.status === 401 && sessionToken) setToken(null);
      throw new ApiError(e.status, e.error_code, e.message, e.requestId);
    }
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK_ERROR", `Could not reach the gateway: ${e instanceof Error ? e.message : e}`);
  }
}
