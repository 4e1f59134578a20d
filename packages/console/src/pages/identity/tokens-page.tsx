import { listTokens } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { formatTime } from "../../components/format";
import { useApi } from "../../components/use-api";

/** The signed-in caller's personal access tokens (ids and comments; a token's value is shown only at creation). */
export function TokensPage() {
  const { data, error } = useApi((signal) => listTokens(signal), []);
  return (
    <section>
      <h1>Access tokens</h1>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Token id</th>
            <th scope="col">Comment</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((t) => (
            <tr key={t.token_id}>
              <td>
                <code>{t.token_id}</code>
              </td>
              <td>{t.comment ?? "—"}</td>
              <td>{formatTime(t.creation_time)}</td>
              <td>{t.expiry_time && t.expiry_time > 0 ? formatTime(t.expiry_time) : "Never"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
