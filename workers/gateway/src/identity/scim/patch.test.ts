import { describe, expect, it } from "vitest";
import { parseEqFilter } from "./filter";
import { applyPatch } from "./patch";
import type { PrincipalDraft } from "./store";

const user = (): PrincipalDraft => ({
  id: "u1",
  kind: "user",
  name: "jane@example.com",
  displayName: "Jane",
  active: true,
  externalId: null,
  links: new Set(["g1"]),
});

describe("SCIM PatchOp", () => {
  it("accepts attribute paths qualified with the core schema and ignores extension schemas", () => {
    const next = applyPatch(user(), [
      { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:displayName", value: "J" },
      { op: "replace", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "R&D" },
      { op: "add", path: "entitlements", value: [{ value: "allow-cluster-create" }] },
      { op: "replace", path: "name.givenName", value: "Jane" },
    ]);
    expect(next).toMatchObject({ displayName: "J", name: "jane@example.com" });
  });

  it("does not modify the draft it is given", () => {
    const draft = user();
    applyPatch(draft, [
      { op: "remove", path: "groups" },
      { op: "replace", path: "active", value: false },
    ]);
    expect(draft.links).toEqual(new Set(["g1"]));
    expect(draft.active).toBe(true);
  });

  it("edits groups, externalId and displayName", () => {
    const next = applyPatch(user(), [
      { op: "add", path: "groups", value: [{ value: "g2" }] },
      { op: "remove", path: 'groups[value eq "g1"]' },
      { op: "add", path: "externalId", value: "ext" },
      { op: "remove", path: "displayName" },
    ]);
    expect(next).toMatchObject({ externalId: "ext", displayName: "jane@example.com", links: new Set(["g2"]) });
  });

  it("rejects what it cannot apply, naming the operation", () => {
    expect(() => applyPatch(user(), [{ op: "remove" }])).toThrow(/Operations\[0\]\.path/);
    expect(() => applyPatch(user(), [{ op: "add", value: 5 }])).toThrow(/Operations\[0\]\.value/);
    expect(() => applyPatch(user(), [{ op: "add", path: "members", value: [] }])).toThrow(/members/);
    expect(() => applyPatch(user(), [{ op: "replace", path: "active", value: "maybe" }])).toThrow(/boolean/);
    expect(() => applyPatch(user(), [{ op: "add", path: 'groups[value eq "x"]', value: [] }])).toThrow(/only remove/);
    expect(() => applyPatch(user(), [{ op: "replace", path: "userName", value: "" }])).toThrow(/non-empty/);
  });
});

describe("SCIM eq filter", () => {
  it("parses strings with escapes, booleans and null", () => {
    expect(parseEqFilter('userName eq "a\\"b@c"', ["username"])).toEqual({ attribute: "username", value: 'a"b@c' });
    expect(parseEqFilter("active EQ true", ["active"])).toEqual({ attribute: "active", value: true });
    expect(parseEqFilter("externalId eq null", ["externalid"])).toEqual({ attribute: "externalid", value: null });
  });
});
