import { z } from "zod";
import { noEffect } from "./compatibility";

/**
 * Request bodies of the identity APIs: personal access tokens (/api/2.0/token), token management
 * (/api/2.0/token-management) and the SCIM v2 subset (/api/2.0/preview/scim/v2).
 *
 * Databricks-style bodies are strict (unknown fields are a 400). SCIM bodies are loose: SCIM clients
 * send `schemas`, `meta`, `entitlements` and other attributes we do not store, so unknown fields are
 * accepted and ignored, but the fields we do read must have the right type.
 */

/** A token lifetime of about 100 years is the longest accepted (keeps expiry times far from overflow). */
const MAX_TOKEN_LIFETIME_SECONDS = 100 * 365 * 24 * 3600;

/** Seconds until expiry; absent, 0 or -1 mean the token never expires. */
const lifetimeSeconds = z.number().int().min(-1).max(MAX_TOKEN_LIFETIME_SECONDS);
const tokenComment = z.string().max(1000);

export const createTokenRequest = z.strictObject({
  lifetime_seconds: lifetimeSeconds.optional(),
  comment: tokenComment.optional(),
});

export const deleteTokenRequest = z.strictObject({
  token_id: z.string().min(1),
});

/**
 * POST /token-management/on-behalf-of/tokens. `user_name` is an Edgeserve extension: Databricks users
 * get tokens through OAuth, but Edgeserve has no identity provider, so an admin issues them.
 */
export const createOboTokenRequest = z
  .strictObject({
    application_id: z.string().min(1).optional(),
    user_name: z.string().min(1).optional(),
    lifetime_seconds: lifetimeSeconds.optional(),
    comment: tokenComment.optional(),
  })
  .refine((b) => (b.application_id === undefined) !== (b.user_name === undefined), {
    message: "give exactly one of 'application_id' or 'user_name'",
    path: ["application_id"],
  });

export const listTokensQuery = z.looseObject({
  created_by_id: z.string().optional(),
  created_by_username: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// SCIM v2

export const SCIM_SCHEMAS = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  servicePrincipal: "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
} as const;

const scimSchemasField = noEffect(
  z.array(z.string()),
  "the route names the resource type; SCIM clients send the schema URIs with every body.",
).optional();
const scimIdField = noEffect(
  z.string(),
  "ids are assigned by Edgeserve and the path names the resource " +
    "(read-only in SCIM, RFC 7643, so clients may echo it).",
).optional();
const scimName = z.string().trim().min(1).max(256);

/** A reference to another resource: `{value: <id>, display?}` (group members, a user's groups). */
export const scimReference = z.looseObject({
  value: z.string().min(1),
  display: z.string().optional(),
  $ref: z.string().optional(),
  type: z.string().optional(),
});

const scimEmail = z.looseObject({
  value: z.string().min(1),
  primary: z.boolean().optional(),
  type: z.string().optional(),
  display: z.string().optional(),
});

const scimValueList = z.array(z.looseObject({ value: z.string() }));
const scimEntitlements = noEffect(
  scimValueList,
  "it has no entitlements: what a principal may do comes from " +
    "endpoint permissions, secret scope ACLs and membership of admins.",
).optional();
const scimRoles = noEffect(
  scimValueList,
  "it has no roles: what a principal may do comes from endpoint " +
    "permissions, secret scope ACLs and membership of admins.",
).optional();

/** POST /Users and PUT /Users/{id}. */
export const scimUserRequest = z.looseObject({
  schemas: scimSchemasField,
  id: scimIdField,
  externalId: z.string().max(256).optional(),
  userName: scimName,
  displayName: z.string().max(256).optional(),
  active: z.boolean().optional(),
  emails: noEffect(
    z.array(scimEmail),
    "a user's e-mail is their userName: GET shows it as the primary e-mail.",
  ).optional(),
  groups: z.array(scimReference).optional(),
  entitlements: scimEntitlements,
  roles: scimRoles,
  name: noEffect(
    z.looseObject({ givenName: z.string().optional(), familyName: z.string().optional() }),
    "it stores no given or family name (displayName is stored and shown).",
  ).optional(),
});
export type ScimUserRequest = z.infer<typeof scimUserRequest>;

/** POST /Groups and PUT /Groups/{id}. */
export const scimGroupRequest = z.looseObject({
  schemas: scimSchemasField,
  id: scimIdField,
  externalId: z.string().max(256).optional(),
  displayName: scimName,
  members: z.array(scimReference).optional(),
  entitlements: scimEntitlements,
  roles: scimRoles,
});
export type ScimGroupRequest = z.infer<typeof scimGroupRequest>;

/** POST /ServicePrincipals and PUT /ServicePrincipals/{id}; `applicationId` is generated when absent. */
export const scimServicePrincipalRequest = z.looseObject({
  schemas: scimSchemasField,
  id: scimIdField,
  externalId: z.string().max(256).optional(),
  applicationId: scimName.optional(),
  displayName: z.string().max(256).optional(),
  active: z.boolean().optional(),
  groups: z.array(scimReference).optional(),
  entitlements: scimEntitlements,
  roles: scimRoles,
});
export type ScimServicePrincipalRequest = z.infer<typeof scimServicePrincipalRequest>;

/** `op` is case-insensitive: Azure AD sends "Add" and "Replace". */
const scimPatchOperation = z.looseObject({
  op: z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(["add", "remove", "replace"])),
  path: z.string().min(1).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof scimPatchOperation>;

export const scimPatchRequest = z.looseObject({
  schemas: scimSchemasField,
  Operations: z.array(scimPatchOperation).min(1).max(1000),
});

const positiveIntString = (field: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `'${field}' must be a non-negative integer`)
    .transform(Number)
    .optional();

const everyAttribute = (param: string) =>
  noEffect(
    z.string().max(1000),
    `every attribute of every resource is returned, as SCIM allows (${param} only trims answers).`,
  ).optional();
const creationOrder = noEffect(
  z.string().max(100),
  "resources are listed in creation order: sorting is optional in SCIM (RFC 7644) and Edgeserve does not sort.",
).optional();

/** Query of the list calls; SCIM parameters beyond these are accepted and ignored. */
export const scimListQuery = z.looseObject({
  filter: z.string().max(1000).optional(),
  startIndex: positiveIntString("startIndex"),
  count: positiveIntString("count"),
  attributes: everyAttribute("attributes"),
  excludedAttributes: everyAttribute("excludedAttributes"),
  sortBy: creationOrder,
  sortOrder: creationOrder,
});
