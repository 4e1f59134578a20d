import { useState } from "preact/hooks";
import { listSecretKeys, listSecretScopes } from "../../api";
import { useApi } from "../../components/use-api";

/** Picks `{{secrets/scope/key}}` from the scopes the user can read (keys only; values never leave the API). */
export function SecretPicker(props: { id: string; value: string; onChange: (reference: string) => void }) {
  const current = props.value.match(/^\{\{secrets\/([^/]+)\/(.+)\}\}$/);
  const [scope, setScope] = useState(current?.[1] ?? "");
  const scopes = useApi((signal) => listSecretScopes(signal), []);
  const keys = useApi((signal) => (scope ? listSecretKeys(scope, signal) : Promise.resolve([])), [scope]);
  return (
    <div class="toolbar">
      <div>
        <label for={`${props.id}-scope`}>Secret scope</label>
        <select
          id={`${props.id}-scope`}
          value={scope}
          onChange={(e) => {
            setScope(e.currentTarget.value);
            props.onChange("");
          }}
        >
          <option value="">Choose a scope</option>
          {(scopes.data ?? []).map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`${props.id}-key`}>Secret key</label>
        <select
          id={`${props.id}-key`}
          value={current?.[2] ?? ""}
          disabled={!scope}
          onChange={(e) => props.onChange(e.currentTarget.value ? `{{secrets/${scope}/${e.currentTarget.value}}}` : "")}
        >
          <option value="">Choose a key</option>
          {(keys.data ?? []).map((k) => (
            <option key={k.key} value={k.key}>
              {k.key}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
