import type { EndpointState } from "../api";

/** Ready / not ready and the config update, in words (never colour alone). */
export function StateBadge({ state }: { state: EndpointState }) {
  const updating = state.config_update === "IN_PROGRESS";
  const failed = state.config_update === "UPDATE_FAILED" || state.config_update === "UPDATE_CANCELED";
  return (
    <span>
      <span class={`badge ${state.ready === "READY" ? "ok" : "bad"}`}>
        {state.ready === "READY" ? "Ready" : "Not ready"}
      </span>{" "}
      {updating ? <span class="badge busy">Updating</span> : null}
      {failed ? (
        <span class="badge bad">{state.config_update === "UPDATE_FAILED" ? "Update failed" : "Canceled"}</span>
      ) : null}
    </span>
  );
}
