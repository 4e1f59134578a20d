// The Edgeserve REST API as the bench uses it to set up each instance (never on a measured path).

/** One API call with a bearer token; the parsed JSON body, or an error naming the status. */
export async function api(base, token, method, p, body, retried = false) {
  let res;
  try {
    res = await fetch(base + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    // A pooled keep-alive connection the server closed while a load run was on: a GET is safe to repeat.
    if (method === "GET" && !retried) return api(base, token, method, p, body, true);
    throw e;
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : {};
}
