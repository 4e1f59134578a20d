/**
 * Rewrites Databricks' AI function calls into calls of the one UDF this package registers
 * (`__edgeserve_ai(spec, payload)`), before DuckDB sees the statement.
 *
 * Why a rewrite rather than plain UDFs or macros: DuckDB fixes a scalar function's return type when it is
 * registered, while `ai_query`'s depends on its arguments (`returnType`, `failOnError => false` turning
 * the result into a STRUCT, ai_extract's labels becoming the STRUCT's fields); and UDFs registered from
 * Node take no named arguments. The rewrite reads those constant arguments, fixes the result type in the
 * SQL around the call (a CAST), and passes each row's values as one JSON payload built by `to_json`.
 *
 * Accepted syntax: named arguments as Databricks writes them (`failOnError => false`) or as DuckDB does
 * (`failOnError := false`), names case-insensitive; `named_struct('k', v, …)` and `ARRAY('a', 'b')`
 * anywhere in the statement (rewritten to DuckDB's `{'k': v}` and `list_value('a', 'b')`).
 */
import { type AiFunction, type CallSpec, TASK_FUNCTIONS, type TaskFunction } from "../call-spec";
import { type ReturnType, toDuckDbType } from "./return-type";
import { isWholeItem, selectLists } from "./select-lists";
import { type Call, SqlTextError, findCalls, quote, stringListLiteral, stringLiteral } from "./sql-text";

export const UDF_NAME = "__edgeserve_ai";
/**
 * The UDF of the first AI call of a SELECT list whose items include other AI calls (its siblings):
 * `__edgeserve_ai_group(spec, payload, sibling specs, sibling payloads)` sends its rows' calls and the
 * siblings' in one batch, so the columns' calls run concurrently; the siblings' own UDF calls then find
 * their outcomes ready (ai-udf.ts).
 */
export const GROUP_UDF_NAME = "__edgeserve_ai_group";

export interface DefaultEndpoints {
  /** For the chat-based task functions (all but ai_similarity). */
  chat?: string;
  /** For ai_similarity. */
  embeddings?: string;
  /** Per function, taking precedence over `chat` / `embeddings`. */
  byFunction?: Partial<Record<TaskFunction, string>>;
}

const AI_FUNCTIONS: ReadonlySet<string> = new Set(["ai_query", ...TASK_FUNCTIONS]);
const DIALECT_FUNCTIONS: ReadonlySet<string> = new Set(["named_struct", "array"]);

export interface Rewritten {
  sql: string;
  /** How many AI function calls were rewritten (0: the statement needs no gateway). */
  aiCalls: number;
}

export function rewriteAiFunctions(sql: string, defaults: DefaultEndpoints = {}): Rewritten {
  let aiCalls = 0;
  const build = (call: Call): UdfCall => {
    aiCalls++;
    const args = parseArgs(call, rewrite);
    const fn = call.name.toLowerCase() as AiFunction;
    return fn === "ai_query" ? aiQuery(args) : taskFunction(fn, args, defaults);
  };
  const rewrite = (text: string): string => {
    const dialect = rewriteDialect(text);
    const calls = findCalls(dialect, AI_FUNCTIONS);
    const built = calls.map(build);
    const groups = concurrentGroups(dialect, calls);
    let out = "";
    let at = 0;
    calls.forEach((call, i) => {
      out +=
        dialect.slice(at, call.start) +
        render(
          built[i]!,
          (groups.get(i) ?? []).map((j) => built[j]!),
        );
      at = call.end;
    });
    return out + dialect.slice(at);
  };
  return { sql: rewrite(sql), aiCalls };
}

/**
 * Calls that are whole items of the same SELECT list (`ai_x(…) AS a, ai_y(…) AS b`), by the index of the
 * first (the leader) → the indices of the others. Only whole items: a call inside CASE or COALESCE may not
 * run for every row, and one whose arguments hold another AI call needs that call's answer first.
 */
function concurrentGroups(sql: string, calls: Call[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const items of selectLists(sql)) {
    const members = calls.flatMap((call, i) => {
      const item = items.find((it) => it.start <= call.start && call.end <= it.end);
      const nested = call.args.some((a) => findCalls(a, AI_FUNCTIONS).length > 0);
      return item && !nested && isWholeItem(sql, item, call) ? [i] : [];
    });
    if (members.length >= 2) groups.set(members[0]!, members.slice(1));
  }
  return groups;
}

function replaceCalls(sql: string, names: ReadonlySet<string>, replace: (call: Call) => string): string {
  let out = "";
  let at = 0;
  for (const call of findCalls(sql, names)) {
    out += sql.slice(at, call.start) + replace(call);
    at = call.end;
  }
  return out + sql.slice(at);
}

/**
 * Databricks SQL spellings DuckDB lacks: named_struct('k', v, …) → {'k': v, …};
 * ARRAY('a') → list_value('a').
 */
function rewriteDialect(sql: string): string {
  return replaceCalls(sql, DIALECT_FUNCTIONS, (call) => {
    const args = call.args.map(rewriteDialect);
    if (call.name.toLowerCase() === "array") {
      // ARRAY(SELECT …) is DuckDB's own list-from-subquery: left as it is.
      if (/^\s*(select|with|from)\b/i.test(args[0] ?? "")) return `${call.name}(${args.join(",")})`;
      return `list_value(${args.join(",")})`;
    }
    if (args.length % 2 !== 0) throw new SqlTextError("named_struct takes pairs of arguments: a name, then a value.");
    const fields: string[] = [];
    for (let i = 0; i < args.length; i += 2) {
      const key = stringLiteral(args[i]!);
      if (key === null)
        throw new SqlTextError(`named_struct: field names must be string literals, got ${args[i]!.trim()}.`);
      fields.push(`${quote(key)}: ${args[i + 1]!.trim()}`);
    }
    return `{${fields.join(", ")}}`;
  });
}

interface Args {
  fn: string;
  positional: string[];
  named: Map<string, string>;
}

function parseArgs(call: Call, rewriteArg: (text: string) => string): Args {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const raw of call.args) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=>|:=)([\s\S]*)$/.exec(raw);
    if (m) {
      const name = m[1]!.toLowerCase();
      if (named.has(name)) throw new SqlTextError(`${call.name}: argument '${m[1]}' is given twice.`);
      named.set(name, rewriteArg(m[3]!).trim());
    } else {
      if (named.size > 0) throw new SqlTextError(`${call.name}: a positional argument follows a named one.`);
      positional.push(rewriteArg(raw).trim());
    }
  }
  return { fn: call.name, positional, named };
}

/** The argument at `position` or named `name` (lower case); an error when both are given. */
function arg(args: Args, position: number, name: string): string | undefined {
  const byName = args.named.get(name);
  const byPosition = args.positional[position];
  if (byName !== undefined && byPosition !== undefined)
    throw new SqlTextError(`${args.fn}: '${name}' is given both by position and by name.`);
  return byName ?? byPosition;
}

function required(args: Args, position: number, name: string): string {
  const value = arg(args, position, name);
  if (value === undefined || value === "") throw new SqlTextError(`${args.fn}: the argument '${name}' is missing.`);
  return value;
}

function checkKnown(args: Args, names: string[]): void {
  if (args.positional.length > names.length)
    throw new SqlTextError(`${args.fn} takes at most ${names.length} positional arguments (${names.join(", ")}).`);
  for (const name of args.named.keys())
    if (!names.includes(name) && name !== "failonerror" && name !== "endpoint")
      throw new SqlTextError(`${args.fn}: unknown argument '${name}'.`);
}

function failOnError(args: Args): boolean {
  const value = args.named.get("failonerror");
  if (value === undefined) return true;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new SqlTextError(`${args.fn}: failOnError must be the literal true or false, got ${value}.`);
}

function constantString(args: Args, position: number, name: string): string | undefined {
  const text = arg(args, position, name);
  if (text === undefined) return undefined;
  const value = stringLiteral(text);
  if (value === null) throw new SqlTextError(`${args.fn}: '${name}' must be a string literal, got ${text}.`);
  return value;
}

/** `to_json({'k': v, …})` of the defined fields: one row's payload. */
function payload(fields: Record<string, string | undefined>): string {
  const entries = Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined);
  return `to_json({${entries.map(([k, v]) => `${quote(k)}: ${v}`).join(", ")}})`;
}

/** One rewritten call: its spec literal, its per-row payload expression, and how its result is typed. */
interface UdfCall {
  spec: CallSpec;
  payload: string;
  type: ReturnType;
  fail: boolean;
}

function call(spec: Omit<CallSpec, "mode" | "resultIsText">, rowPayload: string, type: ReturnType, fail: boolean) {
  const full: CallSpec = { ...spec, mode: !fail ? "safe" : type.isText ? "text" : "json", resultIsText: type.isText };
  return { spec: full, payload: rowPayload, type, fail };
}

/** The UDF call wrapped so its SQL type is `type` (or STRUCT(result type, errorMessage VARCHAR) per row). */
function render({ spec, payload: rowPayload, type, fail }: UdfCall, siblings: UdfCall[]): string {
  const specText = quote(JSON.stringify(spec));
  // A sibling's payload as VARCHAR is the very text its own UDF call receives: the same request key.
  const udf =
    siblings.length === 0
      ? `${UDF_NAME}(${specText}, ${rowPayload})`
      : `${GROUP_UDF_NAME}(${specText}, ${rowPayload}, ` +
        `${quote(JSON.stringify(siblings.map((s) => JSON.stringify(s.spec))))}, ` +
        `to_json(list_value(${siblings.map((s) => `${s.payload}::VARCHAR`).join(", ")})))`;
  if (!fail) return `TRY_CAST(CAST(${udf} AS JSON) AS STRUCT(result ${type.duckdb}, errorMessage VARCHAR))`;
  return type.isText ? udf : `CAST(CAST(${udf} AS JSON) AS ${type.duckdb})`;
}

function aiQuery(args: Args): UdfCall {
  checkKnown(args, ["endpoint", "request", "returntype", "modelparameters", "responseformat"]);
  const returnType = constantString(args, 2, "returntype");
  const type = toDuckDbType(returnType ?? "STRING");
  const responseFormat = constantString(args, 99, "responseformat");
  return call(
    { fn: "ai_query", ...(responseFormat ? { responseFormat: parseResponseFormat(responseFormat) } : {}) },
    payload({
      endpoint: required(args, 0, "endpoint"),
      request: required(args, 1, "request"),
      modelParameters: args.named.get("modelparameters"),
    }),
    type,
    failOnError(args),
  );
}

/**
 * responseFormat as OpenAI's response_format: a JSON object with a `type` is used as it is, any other JSON
 * object is taken as the schema. (Databricks' DDL form, 'STRUCT<…>', is refused: write the JSON schema.)
 */
function parseResponseFormat(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SqlTextError(
      "ai_query: responseFormat must be a JSON schema or a JSON response_format object " +
        `('{"type": "json_schema", …}'); the DDL form ('STRUCT<…>') is not supported here. ` +
        `Got: ${text.slice(0, 80)}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new SqlTextError("ai_query: responseFormat must be a JSON object.");
  const object = parsed as Record<string, unknown>;
  // OpenAI's response_format types; any other object (a schema's type is "object") is the schema itself.
  if (object.type === "json_schema" || object.type === "json_object" || object.type === "text") return object;
  return { type: "json_schema", json_schema: { name: "result", schema: object, strict: true } };
}

const TEXT: ReturnType = { duckdb: "VARCHAR", isText: true };

function taskFunction(fn: TaskFunction, args: Args, defaults: DefaultEndpoints): UdfCall {
  const endpoint = args.named.get("endpoint");
  const defaultEndpoint = defaults.byFunction?.[fn] ?? (fn === "ai_similarity" ? defaults.embeddings : defaults.chat);
  if (endpoint === undefined && defaultEndpoint === undefined)
    throw new SqlTextError(
      `${fn} needs an endpoint: give --default-${fn === "ai_similarity" ? "embeddings" : "chat"}-endpoint ` +
        `(or --endpoint ${fn}=NAME), or add endpoint => 'name' to the call.`,
    );
  const spec = { fn, ...(defaultEndpoint ? { defaultEndpoint } : {}) };
  const fail = failOnError(args);
  const text = (name: string) => required(args, 0, name);
  switch (fn) {
    case "ai_analyze_sentiment":
    case "ai_fix_grammar":
    case "ai_gen":
      checkKnown(args, [fn === "ai_gen" ? "prompt" : "content"]);
      return call(spec, payload({ endpoint, text: text(fn === "ai_gen" ? "prompt" : "content") }), TEXT, fail);
    case "ai_classify":
    case "ai_mask":
      checkKnown(args, ["content", "labels"]);
      return call(spec, payload({ endpoint, text: text("content"), labels: required(args, 1, "labels") }), TEXT, fail);
    case "ai_extract": {
      checkKnown(args, ["content", "labels"]);
      const labels = stringListLiteral(required(args, 1, "labels"));
      if (!labels || labels.length === 0)
        throw new SqlTextError(
          "ai_extract: labels must be a constant list of strings, e.g. ARRAY('person', 'location').",
        );
      const fields = labels.map((l) => `"${l.replaceAll('"', '""')}" VARCHAR`).join(", ");
      const type = { duckdb: `STRUCT(${fields})`, isText: false };
      return call({ ...spec, labels }, payload({ endpoint, text: text("content") }), type, fail);
    }
    case "ai_similarity":
      checkKnown(args, ["expr1", "expr2"]);
      return call(
        spec,
        payload({ endpoint, text: required(args, 0, "expr1"), text2: required(args, 1, "expr2") }),
        { duckdb: "FLOAT", isText: false },
        fail,
      );
    case "ai_summarize":
      checkKnown(args, ["content", "max_words"]);
      return call(spec, payload({ endpoint, text: text("content"), maxWords: arg(args, 1, "max_words") }), TEXT, fail);
    case "ai_translate":
      checkKnown(args, ["content", "to_lang"]);
      return call(
        spec,
        payload({ endpoint, text: text("content"), language: required(args, 1, "to_lang") }),
        TEXT,
        fail,
      );
  }
}
