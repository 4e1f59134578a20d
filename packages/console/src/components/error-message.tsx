import { ApiError } from "../api";

/** An API error as the API worded it, with its code and request id (what support needs). */
export function ErrorMessage({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>{error instanceof ApiError ? error.errorCode : "Error"}</strong>: {error.message}
      {error instanceof ApiError && error.requestId ? <small> (request id {error.requestId})</small> : null}
    </div>
  );
}
