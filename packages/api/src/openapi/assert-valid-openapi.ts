import { Validator } from "@seriousme/openapi-schema-validator";
import { expect } from "vitest";

/** Test helper: asserts a document is valid OpenAPI 3.1 and that every `$ref` in it resolves. */
type Json = Record<string, unknown>;

/** Every `$ref` in the document, with the JSON pointer it names. */
function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") out.push(child);
      else collectRefs(child, out);
    }
  }
  return out;
}

export function resolvePointer(doc: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node == null ? undefined : (node as Record<string, unknown>)[key]), doc);
}

export async function expectValidOpenApi31(doc: Json) {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe("3.1");
  for (const ref of collectRefs(doc)) {
    expect(ref.startsWith("#/"), ref).toBe(true);
    expect(resolvePointer(doc, ref), `unresolved ${ref}`).toBeDefined();
  }
}
