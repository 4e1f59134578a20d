import { z } from "zod";

/**
 * Response shapes of the identity routes (tokens, token management, SCIM), for the OpenAPI document.
 * The request schemas come from packages/api/src/identity.ts.
 *
 * TODO(schema): identity.ts exports no response schemas yet; these mirror what the gateway renders
 * (workers/gateway/src/identity/tokens/issue-token.ts, routes/token-management.ts, identity/scim/render.ts).
 * Move them to identity.ts once it has them. They are loose: the gateway may add fields.
 */

// --- Personal access tokens (/api/2.0/token/*) ---
export const publicTokenInfo = z.looseObject({
  token_id: z.string(),
  comment: z.string(),
  creation_time: z.number().int().describe("Milliseconds since the epoch."),
  expiry_time: z.number().int().describe("Milliseconds since the epoch; -1 for a token that never expires."),
});
export const createTokenResponse = z.looseObject({
  token_value: z.string().describe("The token; returned once, only its hash is stored."),
  token_info: publicTokenInfo,
});
export const listTokensResponse = z.looseObject({ token_infos: z.array(publicTokenInfo) });

// --- Token management (/api/2.0/token-management/*) ---
export const tokenInfo = publicTokenInfo.extend({
  created_by_id: z.string().describe("The owner's principal id."),
  created_by_username: z.string(),
  owner_id: z.string(),
});
export const createOboTokenResponse = z.looseObject({ token_value: z.string(), token_info: tokenInfo });
export const getManagedTokenResponse = z.looseObject({ token_info: tokenInfo });
export const listManagedTokensResponse = z.looseObject({ token_infos: z.array(tokenInfo) });

// --- SCIM 2.0 (/api/2.0/preview/scim/v2/*) ---
const scimReference = z.looseObject({ value: z.string(), display: z.string().optional() });
const common = {
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
};
export const scimUser = z.looseObject({
  ...common,
  userName: z.string(),
  displayName: z.string().optional(),
  active: z.boolean(),
  emails: z.array(z.looseObject({ value: z.string(), type: z.string().optional(), primary: z.boolean().optional() })),
  groups: z.array(scimReference),
});
export const scimGroup = z.looseObject({
  ...common,
  displayName: z.string(),
  members: z.array(scimReference),
});
export const scimServicePrincipal = z.looseObject({
  ...common,
  applicationId: z.string(),
  displayName: z.string().optional(),
  active: z.boolean(),
  groups: z.array(scimReference),
});
const scimListResponse = <T extends z.ZodType>(resource: T) =>
  z.looseObject({
    schemas: z.array(z.string()),
    totalResults: z.number().int(),
    startIndex: z.number().int(),
    itemsPerPage: z.number().int(),
    Resources: z.array(resource),
  });
export const scimUserList = scimListResponse(scimUser);
export const scimGroupList = scimListResponse(scimGroup);
export const scimServicePrincipalList = scimListResponse(scimServicePrincipal);
