/**
 * The signed-in user's personal access token, kept in sessionStorage: it lasts as long as the browser tab and
 * is never written to localStorage, cookies or URLs. Listeners hear sign-in and sign-out (a 401 signs out).
 */
const KEY = "edgeserve.token";
type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

export function currentToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener(token);
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
