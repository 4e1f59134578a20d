/** One server-sent event as it arrived, for the response inspector. */
export interface RawFrame {
  /** Milliseconds since the request was sent. */
  atMs: number;
  data: string;
}

/** What the inspector shows of a response's headers. */
export interface ResponseFacts {
  status: number;
  requestId?: string;
  /** The served entity that answered (the gateway's `served-model-name`). */
  servedModel?: string;
  /** Rate-limit headers as sent: the gateway's `Retry-After` on a 429, and any `*ratelimit*` header. */
  rateLimit: [string, string][];
}

const RATE_LIMIT_HEADER = /^(retry-after|(x-)?ratelimit(-.+)?)$/i;

export function responseFacts(status: number, headers: Headers): ResponseFacts {
  const rateLimit: [string, string][] = [];
  headers.forEach((value, name) => {
    if (RATE_LIMIT_HEADER.test(name)) rateLimit.push([name, value]);
  });
  return {
    status,
    ...optional("requestId", headers.get("x-request-id")),
    ...optional("servedModel", headers.get("served-model-name")),
    rateLimit,
  };
}

function optional<K extends string>(key: K, value: string | null) {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** The inspector keeps at most this many frames per response: a runaway stream cannot eat the tab's memory. */
export const MAX_KEPT_FRAMES = 5000;
