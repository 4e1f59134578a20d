import { errors } from "@edgeserve/api";
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-types";

interface OpenAiTool {
  type: string;
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export interface AnthropicToolsPart {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

/**
 * OpenAI `tools` / `tool_choice` / `parallel_tool_calls` → Anthropic's `tools` (`input_schema` is the
 * function's JSON schema) and `tool_choice` (auto → auto, required → any, a named function → tool,
 * none → none; parallel_tool_calls: false → disable_parallel_tool_use).
 */
export function convertToAnthropicTools(body: {
  tools?: unknown;
  tool_choice?: unknown;
  parallel_tool_calls?: unknown;
}): AnthropicToolsPart {
  const out: AnthropicToolsPart = {};
  const tools = (body.tools as OpenAiTool[] | undefined) ?? [];
  if (tools.length) {
    out.tools = tools.map((t, i) => {
      if (t.type !== "function") throw errors.invalid(`tools[${i}].type must be 'function'.`);
      const f = t.function;
      return {
        name: f.name,
        ...(f.description !== undefined ? { description: f.description } : {}),
        // Anthropic requires an object schema; a function without parameters takes none.
        input_schema: f.parameters ?? { type: "object", properties: {} },
      };
    });
  }

  const noParallel = body.parallel_tool_calls === false;
  const choice = body.tool_choice;
  if (choice === undefined) {
    if (noParallel && out.tools) out.tool_choice = { type: "auto", disable_parallel_tool_use: true };
    return out;
  }
  if (!out.tools && choice !== "none") throw errors.invalid("tool_choice is set but no tools are given.");
  const parallel = noParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === "auto") out.tool_choice = { type: "auto", ...parallel };
  else if (choice === "required") out.tool_choice = { type: "any", ...parallel };
  else if (choice === "none") {
    if (out.tools) out.tool_choice = { type: "none" };
  } else if (choice && typeof choice === "object" && (choice as { type?: unknown }).type === "function") {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== "string" || !name) throw errors.invalid("tool_choice.function.name is required.");
    if (!out.tools!.some((t) => t.name === name))
      throw errors.invalid(`tool_choice names '${name}', which is not one of the tools.`);
    out.tool_choice = { type: "tool", name, ...parallel };
  } else throw errors.invalid("tool_choice must be 'auto', 'required', 'none' or {type:'function', function:{name}}.");
  return out;
}
