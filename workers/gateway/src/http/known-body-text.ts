/**
 * Responses the gateway built from a string it already held (a provider's answer passed through, or
 * one it serialised), remembered with that string: what reads a response on its way out (payload
 * logging) takes the text from here instead of cloning the response and reading the copy back. A
 * response rebuilt on the way (output guardrails, new headers object) is a new object and simply not
 * found, so readers fall back to reading its body.
 */
const texts = new WeakMap<Response, string>();

/** A response whose body is `text`, remembered. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  texts.set(response, text);
  return response;
}

/** Like `Response.json(value)`, serialised once and remembered. */
export function jsonResponse(value: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return textResponse(JSON.stringify(value), { ...init, headers });
}

/** The body text of a response made by textResponse / jsonResponse, if this is one. */
export function knownBodyText(response: Response): string | undefined {
  return texts.get(response);
}
