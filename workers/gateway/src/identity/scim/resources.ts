import { errors } from "@edgeserve/api";
import {
  type ScimGroupRequest,
  type ScimServicePrincipalRequest,
  type ScimUserRequest,
  scimGroupRequest,
  scimServicePrincipalRequest,
  scimUserRequest,
} from "@edgeserve/api/identity";
import { principals } from "@edgeserve/db";
import { type SQL, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { newHexId } from "../../ids";
import { BOOTSTRAP_IDS } from "../bootstrap";
import type { EqFilter } from "./filter";
import type { PrincipalDraft, PrincipalKind } from "./store";

/** What differs between Users, Groups and ServicePrincipals: body schema, body → draft, filterable attributes. */
export interface ScimResource<S extends z.ZodType = z.ZodType> {
  kind: PrincipalKind;
  /** "users", "groups", "service principals": for messages. */
  plural: string;
  label: string;
  body: S;
  /** A new draft from a POST body (existing = null) or the replacement from a PUT body. */
  draft(body: z.output<S>, existing: PrincipalDraft | null): PrincipalDraft;
  /** Lower-cased filterable attribute → its condition for a value. */
  filters: Record<string, (value: string | boolean | null) => SQL>;
}

function refIds(refs: readonly { value: string }[] | undefined): Set<string> | undefined {
  return refs ? new Set(refs.map((r) => r.value)) : undefined;
}

const text =
  (
    column:
      | typeof principals.name
      | typeof principals.displayName
      | typeof principals.id
      | typeof principals.externalId,
  ) =>
  (value: string | boolean | null): SQL =>
    value === null ? sql`${column} IS NULL` : eq(column, String(value));
const textCaseInsensitive =
  (column: typeof principals.name) =>
  (value: string | boolean | null): SQL =>
    sql`lower(${column}) = lower(${String(value)})`;
const active = (value: string | boolean | null): SQL => eq(principals.active, value === true || value === "true");

export const usersResource: ScimResource<typeof scimUserRequest> = {
  kind: "user",
  plural: "users",
  label: "User",
  body: scimUserRequest,
  draft(body: ScimUserRequest, existing) {
    return {
      id: existing?.id ?? newHexId(),
      kind: "user",
      name: body.userName,
      displayName: body.displayName?.trim() || body.userName,
      active: body.active ?? true,
      externalId: body.externalId ?? null,
      // `groups` is read-only in RFC 7643; Databricks accepts it, so it is applied when given and kept when absent.
      links: refIds(body.groups) ?? new Set(existing?.links),
    };
  },
  filters: {
    username: textCaseInsensitive(principals.name),
    displayname: text(principals.displayName),
    id: text(principals.id),
    externalid: text(principals.externalId),
    active,
  },
};

export const groupsResource: ScimResource<typeof scimGroupRequest> = {
  kind: "group",
  plural: "groups",
  label: "Group",
  body: scimGroupRequest,
  draft(body: ScimGroupRequest, existing) {
    // PUT replaces the members; the implicit members of `users` stay when none are given.
    const keep = existing?.id === BOOTSTRAP_IDS.usersGroup ? new Set(existing.links) : new Set<string>();
    return {
      id: existing?.id ?? newHexId(),
      kind: "group",
      name: body.displayName,
      displayName: body.displayName,
      active: true,
      externalId: body.externalId ?? null,
      links: refIds(body.members) ?? keep,
    };
  },
  filters: {
    displayname: text(principals.name),
    id: text(principals.id),
    externalid: text(principals.externalId),
  },
};

export const servicePrincipalsResource: ScimResource<typeof scimServicePrincipalRequest> = {
  kind: "service_principal",
  plural: "service principals",
  label: "Service principal",
  body: scimServicePrincipalRequest,
  draft(body: ScimServicePrincipalRequest, existing) {
    if (existing && body.applicationId !== undefined && body.applicationId !== existing.name) {
      throw errors.invalid("Invalid value for 'applicationId': it cannot be changed.");
    }
    const applicationId = existing?.name ?? body.applicationId ?? crypto.randomUUID();
    return {
      id: existing?.id ?? newHexId(),
      kind: "service_principal",
      name: applicationId,
      displayName: body.displayName?.trim() || applicationId,
      active: body.active ?? true,
      externalId: body.externalId ?? null,
      links: refIds(body.groups) ?? new Set(existing?.links),
    };
  },
  filters: {
    applicationid: text(principals.name),
    displayname: text(principals.displayName),
    id: text(principals.id),
    externalid: text(principals.externalId),
    active,
  },
};

export function filterCondition(resource: ScimResource, filter: EqFilter): SQL {
  return resource.filters[filter.attribute]!(filter.value);
}
