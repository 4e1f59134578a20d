import { errors, parseOrThrow } from "@edgeserve/api";
import { SCIM_SCHEMAS, type ScimPatchOperation, scimReference } from "@edgeserve/api/identity";
import { z } from "zod";
import { parseEqFilter } from "./filter";
import type { PrincipalDraft } from "./store";

/** Attributes Edgeserve does not store; operations on them succeed and change nothing. */
const IGNORED = new Set(["entitlements", "roles", "emails", "name", "schemas", "meta"]);

const CORE_SCHEMA = {
  user: SCIM_SCHEMAS.user,
  group: SCIM_SCHEMAS.group,
  service_principal: SCIM_SCHEMAS.servicePrincipal,
};

const PATH = /^([A-Za-z][\w$]*)(?:\[(.+)\])?(?:\.([A-Za-z][\w$]*))?$/;

type Op = ScimPatchOperation["op"];

interface Target {
  attribute: string;
  /** `members[value eq "id"]` selects one member. */
  selectedValue?: string;
  subAttribute?: string;
}

/**
 * Applies a SCIM PatchOp (RFC 7644 §3.5.2) to a copy of the draft. Supported: displayName, externalId,
 * userName and active (users), applicationId (service principals, unchanged only), and the links:
 * `groups` of users and service principals, `members` of groups, including `members[value eq "id"]`.
 */
export function applyPatch(draft: PrincipalDraft, operations: readonly ScimPatchOperation[]): PrincipalDraft {
  const next: PrincipalDraft = { ...draft, links: new Set(draft.links) };
  operations.forEach((operation, i) => {
    const field = `Operations[${i}]`;
    if (operation.path === undefined) {
      if (operation.op === "remove")
        throw errors.invalid(`Missing required field '${field}.path': remove needs a path.`);
      const value = operation.value;
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw errors.invalid(
          `Invalid value for '${field}.value': without a path the value must be an object of attributes.`,
        );
      }
      for (const [key, attributeValue] of Object.entries(value)) {
        const target = parseTarget(next, key, `${field}.value`);
        if (target) applyOne(next, operation.op, target, attributeValue, `${field}.value.${key}`);
      }
      return;
    }
    const target = parseTarget(next, operation.path, `${field}.path`);
    if (target) applyOne(next, operation.op, target, operation.value, `${field}.value`);
  });
  return next;
}

/** Null for attributes of extension schemas, which are ignored. */
function parseTarget(draft: PrincipalDraft, path: string, field: string): Target | null {
  let rest = path;
  if (rest.startsWith("urn:")) {
    const core = `${CORE_SCHEMA[draft.kind]}:`;
    if (!rest.startsWith(core)) return null;
    rest = rest.slice(core.length);
  }
  const match = PATH.exec(rest);
  if (!match) throw errors.invalid(`Invalid value for '${field}': cannot parse path '${path}'.`);
  const target: Target = { attribute: match[1]!.toLowerCase() };
  if (match[3]) target.subAttribute = match[3].toLowerCase();
  if (match[2]) {
    const filter = parseEqFilter(match[2], ["value"], field);
    if (typeof filter.value !== "string")
      throw errors.invalid(`Invalid value for '${field}': the filter must compare 'value' with a string.`);
    target.selectedValue = filter.value;
  }
  return target;
}

function applyOne(draft: PrincipalDraft, op: Op, target: Target, value: unknown, field: string): void {
  const { attribute } = target;
  if (IGNORED.has(attribute)) return;
  const linkAttribute = draft.kind === "group" ? "members" : "groups";
  if (attribute === linkAttribute) {
    applyLinks(draft, op, target, value, field);
    return;
  }
  if (target.selectedValue !== undefined || target.subAttribute !== undefined) {
    throw errors.invalid(
      `Invalid value for '${field.replace(/\.value.*$/, ".path")}': '${attribute}' has no sub-attributes.`,
    );
  }
  switch (attribute) {
    case "displayname": {
      if (op === "remove") {
        if (draft.kind === "group")
          throw errors.invalid(`Invalid value for '${field}': a group's displayName cannot be removed.`);
        draft.displayName = draft.name;
        return;
      }
      const name = stringValue(value, field);
      draft.displayName = name;
      // A group's displayName is its name.
      if (draft.kind === "group") draft.name = name;
      return;
    }
    case "externalid":
      draft.externalId = op === "remove" ? null : stringValue(value, field);
      return;
    case "username":
      if (draft.kind !== "user") break;
      if (op === "remove") throw errors.invalid(`Invalid value for '${field}': userName cannot be removed.`);
      draft.name = stringValue(value, field);
      return;
    case "active":
      if (draft.kind === "group") break;
      if (op === "remove") throw errors.invalid(`Invalid value for '${field}': active cannot be removed.`);
      draft.active = booleanValue(value, field);
      return;
    case "applicationid":
      if (draft.kind !== "service_principal") break;
      if (op === "remove" || stringValue(value, field) !== draft.name) {
        throw errors.invalid(`Invalid value for '${field}': applicationId cannot be changed.`);
      }
      return;
  }
  throw errors.invalid(
    `Invalid value for '${field.replace(/\.value.*$/, ".path")}': unsupported attribute '${attribute}'.`,
  );
}

function applyLinks(draft: PrincipalDraft, op: Op, target: Target, value: unknown, field: string): void {
  if (target.subAttribute !== undefined && target.subAttribute !== "value") {
    throw errors.invalid(
      `Invalid value for '${field.replace(/\.value.*$/, ".path")}': ` +
        `unsupported sub-attribute '${target.subAttribute}'.`,
    );
  }
  if (target.selectedValue !== undefined) {
    if (op !== "remove")
      throw errors.invalid(
        `Invalid value for '${field.replace(/\.value.*$/, ".path")}': only remove may select one value.`,
      );
    draft.links.delete(target.selectedValue);
    return;
  }
  if (op === "remove" && value === undefined) {
    draft.links.clear();
    return;
  }
  const ids = referenceIds(value, field);
  if (op === "add") for (const id of ids) draft.links.add(id);
  else if (op === "replace") draft.links = new Set(ids);
  else for (const id of ids) draft.links.delete(id);
}

const references = z.union([z.array(scimReference), scimReference.transform((r) => [r])]);

function referenceIds(value: unknown, field: string): string[] {
  try {
    return parseOrThrow(references, value).map((r) => r.value);
  } catch {
    throw errors.invalid(`Invalid value for '${field}': expected a list of {"value": "<id>"}.`);
  }
}

function stringValue(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw errors.invalid(`Invalid value for '${field}': expected a non-empty string.`);
  return value.trim();
}

/** Booleans, or "True"/"False" strings as Azure AD sends them. */
function booleanValue(value: unknown, field: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw errors.invalid(`Invalid value for '${field}': expected a boolean.`);
}
