import { useState } from "preact/hooks";
import { type EndpointDetailed, type PermissionLevel, getPermissions, grantPermission } from "../../api";
import { ErrorMessage } from "../../components/error-message";
import { useApi } from "../../components/use-api";

type PrincipalKind = "user_name" | "group_name" | "service_principal_name";

/** Who may view, query or manage the endpoint; managers may grant more (PATCH merges one entry). */
export function PermissionsTab({ endpoint }: { endpoint: EndpointDetailed }) {
  const { data, error, reload } = useApi((signal) => getPermissions(endpoint.id, signal), [endpoint.id]);
  const canManage = endpoint.permission_level === "CAN_MANAGE";
  const [kind, setKind] = useState<PrincipalKind>("user_name");
  const [principal, setPrincipal] = useState("");
  const [level, setLevel] = useState<PermissionLevel>("CAN_QUERY");
  const [saveError, setSaveError] = useState<Error>();
  const grant = async (e: Event) => {
    e.preventDefault();
    setSaveError(undefined);
    try {
      await grantPermission(endpoint.id, { kind, name: principal.trim() }, level);
      setPrincipal("");
      reload();
    } catch (err) {
      setSaveError(err as Error);
    }
  };
  return (
    <section aria-labelledby="permissions-title">
      <h2 id="permissions-title">Permissions</h2>
      <ErrorMessage error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Principal</th>
            <th scope="col">Permission</th>
          </tr>
        </thead>
        <tbody>
          {(data?.access_control_list ?? []).map((entry) => {
            const who = entry.user_name ?? entry.group_name ?? entry.service_principal_name ?? "?";
            return (
              <tr key={who}>
                <td>
                  {who} {entry.group_name ? <span class="help">(group)</span> : null}
                </td>
                <td>
                  {(entry.all_permissions ?? [])
                    .map((p) => `${p.permission_level}${p.inherited ? " (inherited)" : ""}`)
                    .join(", ")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canManage ? (
        <form onSubmit={grant} class="toolbar" aria-label="Grant a permission">
          <div>
            <label for="grant-kind">Principal type</label>
            <select id="grant-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as PrincipalKind)}>
              <option value="user_name">User</option>
              <option value="group_name">Group</option>
              <option value="service_principal_name">Service principal</option>
            </select>
          </div>
          <div>
            <label for="grant-principal">Name</label>
            <input
              id="grant-principal"
              required
              value={principal}
              onInput={(e) => setPrincipal(e.currentTarget.value)}
            />
          </div>
          <div>
            <label for="grant-level">Permission</label>
            <select id="grant-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as PermissionLevel)}>
              <option value="CAN_VIEW">CAN_VIEW</option>
              <option value="CAN_QUERY">CAN_QUERY</option>
              <option value="CAN_MANAGE">CAN_MANAGE</option>
            </select>
          </div>
          <button type="submit">Grant</button>
        </form>
      ) : null}
      <ErrorMessage error={saveError} />
    </section>
  );
}
