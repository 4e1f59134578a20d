import { ApiError, apiErrorOf } from "./api-error";
import { currentToken, setToken } from "./session";

/** Statuses after which the same PUT is worth sending again: the gateway or its host was briefly unavailable. */
const TRANSIENT = new Set([502, 503, 504]);
const RETRIES = 3;

/**
 * PUTs a Blob with the session's token, reporting the bytes sent, and answers the response's ETag header and body.
 * XMLHttpRequest rather than fetch: only it reports upload progress (a streamed fetch body needs HTTP/2), and
 * with a Blob it sends the Content-Length R2 needs up front. A PUT of a file or part overwrites the same key, so
 * a transient failure (502/503/504, a dropped connection) is sent again, up to 3 times with a growing pause.
 */
export async function putWithProgress(
  url: string,
  body: Blob,
  onSent: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<{ etag: string | undefined; body: unknown }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await putOnce(url, body, onSent, signal);
    } catch (e) {
      const transient = e instanceof ApiError && (e.status === 0 || TRANSIENT.has(e.status));
      if (!transient || attempt >= RETRIES || signal?.aborted) throw e;
      onSent(0);
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

function putOnce(
  url: string,
  body: Blob,
  onSent: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<{ etag: string | undefined; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("authorization", `Bearer ${currentToken() ?? ""}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () => {
      const headers = headersOf(xhr.getAllResponseHeaders());
      if (xhr.status < 200 || xhr.status >= 300) {
        if (xhr.status === 401) setToken(null);
        reject(apiErrorOf(xhr.status, xhr.responseText, headers));
        return;
      }
      onSent(body.size);
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      resolve({ etag: headers.get("etag") ?? undefined, body: parsed });
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK_ERROR", "The upload lost its connection to the gateway."));
    xhr.onabort = () => reject(new DOMException("The upload was stopped.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

function headersOf(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}
