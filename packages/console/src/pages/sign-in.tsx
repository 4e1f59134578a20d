import { useState } from "preact/hooks";
import { getMe, setToken } from "../api";
import { ErrorMessage } from "../components/error-message";

/**
 * Sign-in with a personal access token: checked against the API (SCIM /Me) before it is kept, in sessionStorage
 * only. Every later call is made with it, so the console can do nothing the API would not let its owner do.
 */
export function SignIn() {
  const [value, setValue] = useState("");
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const token = value.trim();
      await getMe(token);
      setToken(token);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Edgeserve</h1>
      <form onSubmit={submit}>
        <label for="token">Personal access token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="help">
          Kept in this browser tab only (sessionStorage) and sent only to this gateway. Create one with{" "}
          <code>POST /api/2.0/token/create</code> or ask an admin.
        </p>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
