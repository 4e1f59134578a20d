import { useState } from "preact/hooks";
import { listSecretKeys, listSecretScopes } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { useApi } from "../../components/use-api";

/** Secret scopes and their keys. Values are never shown: the API's list calls return names only. */
export function SecretsPage() {
  const scopes = useApi((signal) => listSecretScopes(signal), []);
  const [open, setOpen] = useState<string>();
  const keys = useApi((signal) => (open ? listSecretKeys(open, signal) : Promise.resolve([])), [open]);
  return (
    <section>
      <h1>Secret scopes</h1>
      <p class="help">Keys only: secret values never leave the API.</p>
      <ErrorMessage error={scopes.error} />
      <ul>
        {(scopes.data ?? []).map((s) => (
          <li key={s.name}>
            <button type="button" class="link-button" aria-expanded={open === s.name} onClick={() => setOpen(s.name)}>
              {s.name}
            </button>
          </li>
        ))}
      </ul>
      {open ? (
        <section class="panel" aria-labelledby="scope-title">
          <h2 id="scope-title">Keys in {open}</h2>
          <ErrorMessage error={keys.error} />
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Last updated</th>
              </tr>
            </thead>
            <tbody>
              {(keys.data ?? []).map((k) => (
                <tr key={k.key}>
                  <td>{k.key}</td>
                  <td>{formatTime(k.last_updated_timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </section>
  );
}
