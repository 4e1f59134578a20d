import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { endpoints } from "./endpoints-schema";
import { nowMs } from "./now-ms";

/**
 * Users, groups and service principals share one table so that ACLs, group membership and
 * token ownership can point at any of them with one foreign key.
 * `name` is the user_name (email), the group's displayName, or the service principal's application_id.
 */
export const principals = sqliteTable(
  "principals",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["user", "group", "service_principal"] }).notNull(),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    externalId: text("external_id"),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [uniqueIndex("principals_kind_name").on(t.kind, t.name)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] }), index("group_members_member").on(t.memberId)],
);

/** Personal access tokens. Only the SHA-256 of the token is stored. */
export const tokens = sqliteTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    principalId: text("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: integer("created_at").notNull().default(nowMs),
    /** -1 for tokens that never expire, as the Databricks API reports them. */
    expiresAt: integer("expires_at").notNull().default(-1),
  },
  (t) => [uniqueIndex("tokens_hash").on(t.tokenHash), index("tokens_principal").on(t.principalId)],
);

export const endpointAcl = sqliteTable(
  "endpoint_acl",
  {
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => endpoints.id, { onDelete: "cascade" }),
    principalId: text("principal_id")
      .notNull()
      .references(() => principals.id, { onDelete: "cascade" }),
    level: text("level", { enum: ["CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.endpointId, t.principalId] })],
);

/** Build and service log lines of one served entity: what GET …/build-logs and …/logs return. */
export const endpointEvents = sqliteTable(
  "endpoint_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => endpoints.id, { onDelete: "cascade" }),
    servedEntity: text("served_entity").notNull(),
    kind: text("kind", { enum: ["build", "service"] }).notNull(),
    level: text("level", { enum: ["INFO", "WARN", "ERROR"] })
      .notNull()
      .default("INFO"),
    message: text("message").notNull(),
    createdAt: integer("created_at").notNull().default(nowMs),
  },
  (t) => [index("endpoint_events_entity").on(t.endpointId, t.servedEntity, t.kind, t.id)],
);

/**
 * Secret scopes. `ownerEndpointId` marks scopes the platform made to hold an endpoint's
 * `*_plaintext` credentials: hidden from the Secrets API and deleted with the endpoint.
 */
export const secretScopes = sqliteTable("secret_scopes", {
  name: text("name").primaryKey(),
  backendType: text("backend_type").notNull().default("DATABRICKS"),
  creatorId: text("creator_id").notNull(),
  ownerEndpointId: text("owner_endpoint_id"),
  createdAt: integer("created_at").notNull().default(nowMs),
});

/** Secret values, AES-256-GCM encrypted; `ciphertext` and `iv` are base64. */
export const secrets = sqliteTable(
  "secrets",
  {
    scope: text("scope")
      .notNull()
      .references(() => secretScopes.name, { onDelete: "cascade" }),
    key: text("key").notNull(),
    ciphertext: text("ciphertext").notNull(),
    iv: text("iv").notNull(),
    updatedAt: integer("updated_at").notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Scope ACLs; `principal` is a user name, a group name, a service principal's application id, or "users". */
export const secretAcls = sqliteTable(
  "secret_acls",
  {
    scope: text("scope")
      .notNull()
      .references(() => secretScopes.name, { onDelete: "cascade" }),
    principal: text("principal").notNull(),
    permission: text("permission", { enum: ["READ", "WRITE", "MANAGE"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.principal] })],
);
export * from "./endpoints-schema";
export * from "./usage-schema";
export * from "./registry-schema";
export * from "./model-servers-schema";
export * from "./throughput-schema";
export * from "./config-versions-schema";
