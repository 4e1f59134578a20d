import { errors } from "@edgeserve/api";
import type { Ai21Tool } from "./ai21-types";

interface OpenAiTool {
  type: "function";
  function: { name: string; description?: string; parameters?: unknown; strict?: unknown };
}

/**
 * OpenAI `tools` + `tool_choice` → AI21's `tools`. AI21 has no `tool_choice`: "auto" is what it
 * always does, and "none" is the same as sending no tools; forcing a call ("required" or a named
 * function) cannot be expressed, so it is a 400.
 */
export function convertToAi21Tools(tools: OpenAiTool[] | undefined, toolChoice: unknown): Ai21Tool[] | undefined {
  if (toolChoice !== undefined && toolChoice !== "auto" && toolChoice !== "none")
    throw errors.invalid(
      `ai21labs does not support tool_choice ${JSON.stringify(toolChoice)}; only "auto" and "none" can be honoured.`,
    );
  if (!tools?.length || toolChoice === "none") return undefined;
  return tools.map((t) => {
    if (t.function.strict !== undefined)
      throw errors.invalid("ai21labs does not support strict function schemas (tools[].function.strict).");
    return {
      type: "function",
      function: {
        name: t.function.name,
        ...(t.function.description !== undefined ? { description: t.function.description } : {}),
        ...(t.function.parameters !== undefined ? { parameters: t.function.parameters } : {}),
      },
    };
  });
}
