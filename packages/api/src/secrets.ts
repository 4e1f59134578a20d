import { z } from "zod";
import { refused } from "./compatibility";

/** Databricks' published limits for the Secrets API. */
const SECRET_NAME_MAX_LENGTH = 128;
export const SECRET_VALUE_MAX_BYTES = 128 * 1024;
export const SECRETS_PER_SCOPE_MAX = 1000;

/** Scope ACL permissions, weakest first: each includes the ones before it. */
const SECRET_PERMISSIONS = ["READ", "WRITE", "MANAGE"] as const;
export type SecretPermission = (typeof SECRET_PERMISSIONS)[number];

export function secretPermissionRank(permission: SecretPermission | null | undefined): number {
  return permission ? SECRET_PERMISSIONS.indexOf(permission) + 1 : 0;
}

export const secretPermission = z.enum(SECRET_PERMISSIONS);

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
const nameRule = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(SECRET_NAME_MAX_LENGTH, `${what} must be at most ${SECRET_NAME_MAX_LENGTH} characters`)
    .regex(NAME_PATTERN, `${what} must consist of alphanumeric characters, dashes, underscores and periods`);

const scopeName = nameRule("scope name");
const secretKey = nameRule("secret key");
/** A user name, group name, service principal application id, or "users". */
const aclPrincipal = z.string().min(1, "principal must not be empty").max(1024);

const AZURE_KEYVAULT_UNSUPPORTED =
  "Azure Key Vault-backed scopes are not supported on Edgeserve: secrets are kept " +
  "encrypted in its own store; use scope_backend_type DATABRICKS or leave it out";

const scopeBackendType = z
  .enum(["DATABRICKS", "AZURE_KEYVAULT"])
  .superRefine((type, ctx) => {
    if (type === "AZURE_KEYVAULT") ctx.addIssue({ code: "custom", message: AZURE_KEYVAULT_UNSUPPORTED });
  })
  .describe(
    `DATABRICKS (the default). AZURE_KEYVAULT is refused with ` +
      `400 INVALID_PARAMETER_VALUE: ${AZURE_KEYVAULT_UNSUPPORTED}.`,
  );

export const createScopeRequest = z.strictObject({
  scope: scopeName,
  /** Databricks accepts only "users" here: every user gets MANAGE. */
  initial_manage_principal: z
    .literal("users")
    .optional()
    .describe('Only "users": every user gets MANAGE on the scope.'),
  scope_backend_type: scopeBackendType.optional(),
  backend_azure_keyvault: refused(
    z.strictObject({ resource_id: z.string(), dns_name: z.string() }),
    AZURE_KEYVAULT_UNSUPPORTED,
  ).optional(),
});

export const deleteScopeRequest = z.strictObject({ scope: scopeName });

export const putSecretRequest = z
  .strictObject({
    scope: scopeName,
    key: secretKey,
    string_value: z.string().optional(),
    bytes_value: z.string().optional(),
  })
  .refine((b) => (b.string_value === undefined) !== (b.bytes_value === undefined), {
    message: "give exactly one of 'string_value' or 'bytes_value'",
  });

export const deleteSecretRequest = z.strictObject({ scope: scopeName, key: secretKey });

export const listSecretsQuery = z.strictObject({ scope: scopeName });
export const getSecretQuery = z.strictObject({ scope: scopeName, key: secretKey });

export const putAclRequest = z.strictObject({
  scope: scopeName,
  principal: aclPrincipal,
  permission: secretPermission,
});
export const deleteAclRequest = z.strictObject({ scope: scopeName, principal: aclPrincipal });
export const getAclQuery = z.strictObject({ scope: scopeName, principal: aclPrincipal });
export const listAclsQuery = z.strictObject({ scope: scopeName });

export const emptyQuery = z.strictObject({});

/** Response shapes (for documentation and tests). */
const secretScopeInfo = z.object({ name: z.string(), backend_type: z.literal("DATABRICKS") });
export const listScopesResponse = z.object({ scopes: z.array(secretScopeInfo) });
const secretMetadata = z.object({ key: z.string(), last_updated_timestamp: z.number().int() });
export const listSecretsResponse = z.object({ secrets: z.array(secretMetadata) });
export const aclItem = z.object({ principal: z.string(), permission: secretPermission });
export const listAclsResponse = z.object({ items: z.array(aclItem) });

/** Master-key rotation: re-encrypts a page of stored secrets under the current `EDGESERVE_MASTER_KEY`. */
const MAX_RE_ENCRYPT_PAGE = 500;
export const reEncryptSecretsRequest = z.strictObject({
  max_results: z
    .number()
    .int()
    .min(1)
    .max(MAX_RE_ENCRYPT_PAGE, `max_results must be at most ${MAX_RE_ENCRYPT_PAGE}`)
    .optional()
    .describe("Secrets to look at in this call (default 100)."),
  page_token: z.string().min(1).optional().describe("The `next_page_token` of the previous call."),
});
const secretLocation = z.object({ scope: z.string(), key: z.string() });
export const reEncryptSecretsResponse = z.object({
  re_encrypted: z
    .number()
    .int()
    .describe("Secrets that were under EDGESERVE_MASTER_KEY_PREVIOUS and are now under EDGESERVE_MASTER_KEY."),
  already_current: z.number().int().describe("Secrets already under EDGESERVE_MASTER_KEY."),
  undecryptable: z.array(secretLocation).describe("Secrets neither key opens (names only); they are left as they are."),
  next_page_token: z.string().optional().describe("Present while more secrets remain: call again with it."),
});
export type ReEncryptSecretsResponse = z.infer<typeof reEncryptSecretsResponse>;
