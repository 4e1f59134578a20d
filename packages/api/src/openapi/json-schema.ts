import { z } from "zod";

export type JsonObject = Record<string, unknown>;

/**
 * Zod → JSON Schema draft 2020-12 (the dialect of OpenAPI 3.1). `io: "input"` describes what a schema
 * accepts, which for a response schema is what a client can rely on; "any" keeps refinements and
 * transforms (which JSON Schema cannot express) from throwing.
 */
const CONVERSION = { target: "draft-2020-12", io: "input", unrepresentable: "any" } as const;
const COMPONENT_REF = "#/components/schemas/";

/**
 * The named schemas of one OpenAPI document. Named schemas become components; a named schema nested in
 * another becomes a `$ref` to its component. Anything zod extracts on its own (schemas given a global
 * `.meta({ id })`) is hoisted into components too, so every `$ref` resolves inside the document.
 */
export class SchemaCatalog {
  readonly components: Record<string, JsonObject> = {};
  private readonly names = new Map<z.ZodType, string>();

  constructor(named: Record<string, z.ZodType>) {
    const registry = z.registry<{ id: string }>();
    for (const [name, schema] of Object.entries(named)) {
      if (this.names.has(schema)) continue; // one schema, one component: the first name wins
      this.names.set(schema, name);
      registry.add(schema, { id: name });
    }
    const { schemas } = z.toJSONSchema(registry, { ...CONVERSION, uri: (id) => `${COMPONENT_REF}${id}` });
    for (const [name, schema] of Object.entries(schemas)) {
      if (name === "__shared") this.hoist((schema as JsonObject).$defs);
      else this.components[name] = clean(schema as JsonObject);
    }
  }

  /** A `$ref` for a named schema, the inline JSON Schema for any other. */
  schemaFor(schema: z.ZodType): JsonObject {
    const name = this.names.get(schema);
    return name ? { $ref: `${COMPONENT_REF}${name}` } : this.inline(schema);
  }

  nameOf(schema: z.ZodType): string | undefined {
    return this.names.get(schema);
  }

  inline(schema: z.ZodType): JsonObject {
    const json = z.toJSONSchema(schema, CONVERSION) as JsonObject;
    this.hoist(json.$defs);
    return clean(json);
  }

  private hoist(defs: unknown): void {
    for (const [name, schema] of Object.entries((defs ?? {}) as Record<string, JsonObject>)) {
      this.components[name] ??= clean(schema);
    }
  }
}

/** Drops the per-schema `$schema`/`$id`/`$defs`, points every `$ref` at `#/components/schemas/`, drops noise bounds. */
function clean(schema: JsonObject): JsonObject {
  const { $schema: _s, $id: _i, $defs: _d, ...rest } = schema;
  return rewriteRefs(rest) as JsonObject;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (isSafeIntegerBound(key, child)) continue;
    // A *property* named "$ref" (SCIM references have one): OpenAPI tools would read it as a reference.
    if (key === "$ref" && typeof child !== "string") continue;
    out[key] = key === "$ref" && typeof child === "string" ? componentRef(child) : rewriteRefs(child);
  }
  return out;
}

/** zod writes ±MAX_SAFE_INTEGER bounds on every `.int()`; they say nothing to a reader. */
function isSafeIntegerBound(key: string, value: unknown): boolean {
  return (
    (key === "minimum" && value === Number.MIN_SAFE_INTEGER) || (key === "maximum" && value === Number.MAX_SAFE_INTEGER)
  );
}

function componentRef(ref: string): string {
  // "#/$defs/X" (inline conversions) and "#/components/schemas/__shared#/$defs/X" (registry conversion)
  const def = /(?:^|#)\/\$defs\/([^/]+)$/.exec(ref);
  return def ? `${COMPONENT_REF}${def[1]}` : ref;
}
