import { client, sdkCall } from "./sdk";
import type { EndpointPermissions, PermissionLevel } from "./types";

export async function getPermissions(endpointId: string, signal?: AbortSignal): Promise<EndpointPermissions> {
  const request = client().GET("/api/2.0/permissions/serving-endpoints/{serving_endpoint_id}", {
    params: { path: { serving_endpoint_id: endpointId } },
    signal,
  });
  return (await sdkCall(request)) as EndpointPermissions;
}

/** Adds (PATCH merges) one grant: a user (name with @), a service principal (application id) or a group. */
export async function grantPermission(
  endpointId: string,
  principal: { kind: "user_name" | "group_name" | "service_principal_name"; name: string },
  level: PermissionLevel,
): Promise<EndpointPermissions> {
  const request = client().PATCH("/api/2.0/permissions/serving-endpoints/{serving_endpoint_id}", {
    params: { path: { serving_endpoint_id: endpointId } },
    body: { access_control_list: [{ [principal.kind]: principal.name, permission_level: level }] } as never,
  });
  return (await sdkCall(request)) as EndpointPermissions;
}
