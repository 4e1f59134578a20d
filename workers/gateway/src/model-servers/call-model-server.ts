import { ApiError } from "@edgeserve/api";
import { callDeadline, clientClosedRequest } from "../serving/call-deadline";
import { seconds } from "../serving/upstream-body";
import { upstreamAnswer, upstreamMessage } from "../serving/upstream-errors";

export interface ModelServerCall {
  /** The registered server's name, for messages. */
  server: string;
  url: string;
  token?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What a model server answered: status and text (its errors are mapped by the caller, who knows the protocol). */
export interface ModelServerAnswer {
  status: number;
  text: string;
  contentType: string;
}

/**
 * One HTTP call to a model server with the call's deadline and the client's cancellation. A server that
 * cannot be reached is 503 TEMPORARILY_UNAVAILABLE (with Retry-After), one that does not answer in time
 * 504 DEADLINE_EXCEEDED; the message names the server, never its token.
 */
export async function callModelServer(
  call: ModelServerCall,
  init: { method: "GET" | "POST"; body?: string; contentType?: string } = { method: "GET" },
): Promise<ModelServerAnswer> {
  const deadline = callDeadline(call.timeoutMs, call.signal);
  const headers: Record<string, string> = {};
  if (init.contentType) headers["content-type"] = init.contentType;
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  const failed = (e: unknown) => {
    if (deadline.expired)
      return new ApiError(
        "DEADLINE_EXCEEDED",
        `Model server '${call.server}' did not answer within ${seconds(call.timeoutMs)}.`,
      );
    if (deadline.clientGone) return clientClosedRequest();
    const why = (e instanceof Error ? e.message : "network error").replace(/\.+$/, "");
    return new ApiError("TEMPORARILY_UNAVAILABLE", `Could not reach model server '${call.server}': ${why}.`, {
      headers: { "Retry-After": "1" },
      cause: e,
    });
  };
  try {
    const response = await fetch(call.url, {
      method: init.method,
      headers,
      ...(init.body !== undefined && { body: init.body }),
      signal: deadline.signal,
    });
    const text = await response.text();
    return { status: response.status, text, contentType: response.headers.get("content-type") ?? "" };
  } catch (e) {
    throw failed(e);
  } finally {
    deadline.settle();
  }
}

/**
 * A model server's non-2xx answer to a query: its 4xx are the caller's input (400 with the server's
 * message, as MLflow's scoring server words it); 503 is unavailable; anything else a 502. A server that
 * echoes the gateway's token has it cut out before anyone sees the message.
 */
export function modelServerError(server: string, answer: ModelServerAnswer, token?: string): ApiError {
  const text = token ? answer.text.replaceAll(token, "[REDACTED]") : answer.text;
  const message = upstreamMessage(text);
  const cause = upstreamAnswer(`Model server '${server}'`, answer.status, text);
  if (answer.status === 401 || answer.status === 403)
    return new ApiError(
      "BAD_GATEWAY",
      `Model server '${server}' rejected the gateway's credentials ` +
        `(HTTP ${answer.status}); ask an admin to check its bearer_token.`,
      { status: 502, cause },
    );
  if (answer.status >= 400 && answer.status < 500)
    return new ApiError("BAD_REQUEST", `Model server '${server}' rejected the input: ${message}`, { cause });
  if (answer.status === 503)
    return new ApiError("TEMPORARILY_UNAVAILABLE", `Model server '${server}' is unavailable: ${message}`, {
      headers: { "Retry-After": "1" },
      cause,
    });
  return new ApiError("BAD_GATEWAY", `Model server '${server}' failed (HTTP ${answer.status}): ${message}`, {
    status: 502,
    cause,
  });
}
