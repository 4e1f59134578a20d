import { errors } from "@edgeserve/api";

export interface ConverseToolConfig {
  tools: { toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } } }[];
  toolChoice?: { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };
}

interface OpenAiTool {
  type: string;
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/**
 * OpenAI `tools` + `tool_choice` → Converse `toolConfig`: auto → `{auto:{}}`, required →
 * `{any:{}}`, a named function → `{tool:{name}}`. Converse has no "none": the tools are left
 * out of the request instead, which is what "none" means.
 */
export function convertToConverseTools(
  tools: readonly OpenAiTool[] | undefined,
  toolChoice: unknown,
): ConverseToolConfig | undefined {
  if (!tools?.length) {
    if (toolChoice === "required" || (toolChoice && typeof toolChoice === "object"))
      throw errors.invalid("tool_choice needs at least one tool in 'tools'.");
    return undefined;
  }
  if (toolChoice === "none") return undefined;
  const config: ConverseToolConfig = {
    tools: tools.map((t) => ({
      toolSpec: {
        name: t.function.name,
        ...(t.function.description !== undefined ? { description: t.function.description } : {}),
        inputSchema: { json: t.function.parameters ?? { type: "object", properties: {} } },
      },
    })),
  };
  if (toolChoice === undefined) return config;
  if (toolChoice === "auto") return { ...config, toolChoice: { auto: {} } };
  if (toolChoice === "required") return { ...config, toolChoice: { any: {} } };
  const name = (toolChoice as { function?: { name?: unknown } }).function?.name;
  if (typeof name !== "string") throw errors.invalid("tool_choice.function.name is required.");
  if (!tools.some((t) => t.function.name === name))
    throw errors.invalid(`tool_choice names the function '${name}', which is not in 'tools'.`);
  return { ...config, toolChoice: { tool: { name } } };
}
