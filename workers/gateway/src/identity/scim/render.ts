import { SCIM_SCHEMAS } from "@edgeserve/api/identity";
import type { LinkedPrincipal, PrincipalKind, PrincipalRow } from "./store";

/** SCIM resource-type path segments, used in `$ref`s. */
const RESOURCE_PATH: Record<PrincipalKind, string> = {
  user: "Users",
  group: "Groups",
  service_principal: "ServicePrincipals",
};

function reference(p: LinkedPrincipal) {
  return { value: p.id, display: p.displayName, $ref: `${RESOURCE_PATH[p.kind]}/${p.id}` };
}

function externalId(row: PrincipalRow) {
  return row.externalId === null ? {} : { externalId: row.externalId };
}

/** A user as Databricks' SCIM API shows it; the primary email is the user name (Edgeserve stores no other). */
function renderUser(row: PrincipalRow, groups: readonly LinkedPrincipal[]) {
  return {
    schemas: [SCIM_SCHEMAS.user],
    id: row.id,
    userName: row.name,
    displayName: row.displayName,
    active: row.active,
    emails: [{ value: row.name, type: "work", primary: true }],
    groups: groups.map(reference),
    ...externalId(row),
  };
}

function renderGroup(row: PrincipalRow, members: readonly LinkedPrincipal[]) {
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: row.id,
    displayName: row.name,
    members: members.map(reference),
    ...externalId(row),
  };
}

function renderServicePrincipal(row: PrincipalRow, groups: readonly LinkedPrincipal[]) {
  return {
    schemas: [SCIM_SCHEMAS.servicePrincipal],
    id: row.id,
    applicationId: row.name,
    displayName: row.displayName,
    active: row.active,
    groups: groups.map(reference),
    ...externalId(row),
  };
}

export function renderPrincipal(row: PrincipalRow, links: readonly LinkedPrincipal[]) {
  if (row.kind === "user") return renderUser(row, links);
  if (row.kind === "group") return renderGroup(row, links);
  return renderServicePrincipal(row, links);
}

export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
