import { listScim } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { useApi } from "../../components/use-api";

/** Users, groups and service principals (SCIM); the API decides who may list them. */
export function PrincipalsPage() {
  const users = useApi((signal) => listScim("Users", signal), []);
  const groups = useApi((signal) => listScim("Groups", signal), []);
  const sps = useApi((signal) => listScim("ServicePrincipals", signal), []);
  return (
    <section>
      <h1>Users, groups and service principals</h1>
      <h2>Users</h2>
      <ErrorMessage error={users.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">User name</th>
            <th scope="col">Display name</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.userName}</td>
              <td>{u.displayName ?? "—"}</td>
              <td>{u.active === false ? "No" : "Yes"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Groups</h2>
      <ErrorMessage error={groups.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Members</th>
          </tr>
        </thead>
        <tbody>
          {(groups.data ?? []).map((g) => (
            <tr key={g.id}>
              <td>{g.displayName}</td>
              <td>{(g.members ?? []).map((m) => m.display ?? m.value).join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Service principals</h2>
      <ErrorMessage error={sps.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Display name</th>
            <th scope="col">Application id</th>
          </tr>
        </thead>
        <tbody>
          {(sps.data ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.displayName ?? "—"}</td>
              <td>
                <code>{s.applicationId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
