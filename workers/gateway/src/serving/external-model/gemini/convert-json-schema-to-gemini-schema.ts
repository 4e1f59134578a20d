import { errors } from "@edgeserve/api";
import type { GeminiSchema } from "./gemini-types";

/** Scalar keywords Gemini's Schema object has (an OpenAPI 3.0 subset) and that JSON Schema spells the same. */
const KEPT = [
  "title",
  "description",
  "default",
  "example",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "propertyOrdering",
];
const FORMATS = new Set(["date-time", "enum", "int32", "int64", "float", "double"]);

/**
 * JSON Schema (what OpenAI tools and `response_format.json_schema` carry) → Gemini's Schema:
 * `type: [x, "null"]` becomes `nullable`, `const` an `enum`, `oneOf` `anyOf`; keywords Gemini's
 * Schema lacks (`additionalProperties`, `$schema`, `multipleOf`, …) are left out, because Gemini
 * rejects unknown fields. `$ref` / `allOf` cannot be expressed: 400.
 */
export function convertJsonSchemaToGeminiSchema(
  schema: unknown,
  provider: string,
  path = "parameters",
): GeminiSchema | undefined {
  if (
    schema === undefined ||
    schema === true ||
    (schema && typeof schema === "object" && Object.keys(schema).length === 0)
  )
    return undefined;
  if (!schema || typeof schema !== "object" || Array.isArray(schema))
    throw errors.invalid(`${path} must be a JSON Schema object.`);
  const s = schema as Record<string, unknown>;
  if (s.$ref !== undefined || s.allOf !== undefined || s.not !== undefined)
    throw errors.invalid(`${provider} does not support '$ref', 'allOf' or 'not' in JSON schemas (at ${path}).`);

  const out: GeminiSchema = {};
  for (const key of KEPT) if (s[key] !== undefined) out[key] = s[key];
  if (typeof s.format === "string" && FORMATS.has(s.format)) out.format = s.format;

  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  const nonNull = types.filter((t) => t !== "null");
  if (types.includes("null") || s.nullable === true) out.nullable = true;
  if (nonNull.length === 1) out.type = nonNull[0];
  else if (nonNull.length > 1) out.anyOf = nonNull.map((type) => ({ type }));

  if (s.const !== undefined) out.enum = [s.const];
  if (Array.isArray(s.enum)) out.enum = s.enum;
  if (out.enum && !out.type) out.type = "string";

  if (s.properties && typeof s.properties === "object") {
    const props: Record<string, GeminiSchema> = {};
    for (const [name, sub] of Object.entries(s.properties as Record<string, unknown>))
      props[name] = convertJsonSchemaToGeminiSchema(sub, provider, `${path}.properties.${name}`) ?? {};
    if (Object.keys(props).length) out.properties = props;
  }
  if (Array.isArray(s.required) && s.required.length && out.properties) out.required = s.required;
  if (s.items !== undefined) out.items = convertJsonSchemaToGeminiSchema(s.items, provider, `${path}.items`) ?? {};

  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    const converted = alternatives.filter(
      (a) => !(a && typeof a === "object" && (a as { type?: unknown }).type === "null"),
    );
    if (converted.length < alternatives.length) out.nullable = true;
    const list = converted.map((a, i) => convertJsonSchemaToGeminiSchema(a, provider, `${path}.anyOf[${i}]`) ?? {});
    if (list.length === 1) Object.assign(out, list[0]);
    else if (list.length) out.anyOf = list;
  }
  return out;
}

/** Tool parameters: an object schema without properties means "no parameters" (Gemini rejects an empty OBJECT). */
export function convertToolParameters(schema: unknown, provider: string, path: string): GeminiSchema | undefined {
  const out = convertJsonSchemaToGeminiSchema(schema, provider, path);
  if (!out) return undefined;
  if (String(out.type).toLowerCase() === "object" && !out.properties) return undefined;
  return out;
}
