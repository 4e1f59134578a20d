import { call } from "../../../test/client";

/** Test helpers: principals made through the public API, each with a token of its own. */

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export async function createUser(
  userName = `${uniqueName("user")}@example.com`,
): Promise<{ id: string; userName: string; token: string }> {
  const created = await call("POST", "/api/2.0/preview/scim/v2/Users", { body: { userName } });
  if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
  const token = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", { body: { user_name: userName } });
  if (token.status !== 200) throw new Error(`create token: ${token.status} ${token.text}`);
  return { id: created.json.id, userName, token: token.json.token_value };
}

export async function createServicePrincipal(
  displayName = uniqueName("sp"),
): Promise<{ id: string; applicationId: string; token: string }> {
  const created = await call("POST", "/api/2.0/preview/scim/v2/ServicePrincipals", { body: { displayName } });
  if (created.status !== 201) throw new Error(`create sp: ${created.status} ${created.text}`);
  const token = await call("POST", "/api/2.0/token-management/on-behalf-of/tokens", {
    body: { application_id: created.json.applicationId },
  });
  if (token.status !== 200) throw new Error(`create token: ${token.status} ${token.text}`);
  return { id: created.json.id, applicationId: created.json.applicationId, token: token.json.token_value };
}

export async function createGroup(
  displayName = uniqueName("group"),
  memberIds: string[] = [],
): Promise<{ id: string; displayName: string }> {
  const created = await call("POST", "/api/2.0/preview/scim/v2/Groups", {
    body: { displayName, members: memberIds.map((value) => ({ value })) },
  });
  if (created.status !== 201) throw new Error(`create group: ${created.status} ${created.text}`);
  return { id: created.json.id, displayName };
}
