import { listEndpoints } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { useApi } from "../../components/use-api";

export function EndpointsList() {
  const { data, error, loading } = useApi((signal) => listEndpoints(signal), []);
  return (
    <section>
      <h1>Serving endpoints</h1>
      <ErrorMessage error={error} />
      {loading && !data ? <p aria-live="polite">Loading…</p> : null}
      {data ? (
        <table>
          <caption class="visually-hidden">Serving endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Creator</th>
            </tr>
          </thead>
          <tbody>
            {(data.endpoints ?? []).map((e) => (
              <tr key={e.id}>
                <td>
                  <a href={`/endpoints/${encodeURIComponent(e.name)}`}>{e.name}</a>
                </td>
                <td>{e.state.ready}</td>
                <td>{e.creator}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
