import { badInput, pythonTypeName } from "./scoring-errors";
import { type ParamSpec, type ScalarType, formatShape } from "./signature";
import { isBase64, isDateTimeText } from "./value-types";

function scalarFits(value: unknown, type: ScalarType): boolean {
  switch (type) {
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2 ** 31;
    case "long":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "float":
    case "double":
      return typeof value === "number"; // an int is safely converted to a float
    case "string":
      return typeof value === "string";
    case "binary":
      return isBase64(value);
    case "datetime":
      return isDateTimeText(value);
  }
}

function describeSpec(spec: ParamSpec): string {
  return (
    `'${spec.name}': ${spec.type} (default: ` +
    `${JSON.stringify(spec.default)})${spec.shape ? ` (shape: ${formatShape(spec.shape)})` : ""}`
  );
}

function checkParam(spec: ParamSpec, value: unknown): void {
  const fail = (detail: string) => badInput(`Failed to validate type and shape for '${spec.name}', error: ${detail}`);
  const convertError = (v: unknown) =>
    fail(`Failed to convert value \`${JSON.stringify(v)}\` from type \`${pythonTypeName(v)}\` to \`${spec.type}\``);
  if (spec.shape === null) {
    if (Array.isArray(value)) throw fail(`Value should be a scalar for param ${describeSpec(spec)}, received list`);
    if (!scalarFits(value, spec.type)) throw convertError(value);
    return;
  }
  if (!Array.isArray(value))
    throw fail(
      `Value must be a 1D array with shape ${formatShape(spec.shape)} ` +
        `for param ${describeSpec(spec)}, received ${pythonTypeName(value)}`,
    );
  const bad = value.find((v) => !scalarFits(v, spec.type));
  if (bad !== undefined) throw convertError(bad);
}

/**
 * The params passed to predict, MLflow's way (`_validate_params`): each declared param is checked
 * against its spec or takes its default; undeclared ones are dropped; without a params schema the
 * request's params are ignored (MLflow logs a warning and does the same).
 */
export function enforceParams(
  params: Record<string, unknown> | undefined,
  schema: ParamSpec[] | undefined,
): Record<string, unknown> | undefined {
  if (!schema || schema.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const spec of schema) {
    const value = params && Object.hasOwn(params, spec.name) ? params[spec.name] : undefined;
    if (value === undefined || value === null) {
      out[spec.name] = spec.default;
      continue;
    }
    checkParam(spec, value);
    out[spec.name] = value;
  }
  return out;
}
