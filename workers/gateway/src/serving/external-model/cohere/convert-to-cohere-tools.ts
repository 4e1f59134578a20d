import { errors } from "@edgeserve/api";

interface CohereTool {
  type: "function";
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

interface OpenAiTool {
  type: string;
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export interface CohereToolFields {
  tools?: CohereTool[];
  tool_choice?: "REQUIRED" | "NONE";
  strict_tools?: boolean;
}

/**
 * OpenAI `tools` + `tool_choice` → Cohere's. Cohere has no "call this one function" choice, so a
 * named function is served by offering only that tool with `tool_choice: REQUIRED`.
 */
export function convertToCohereTools(tools: readonly OpenAiTool[] | undefined, toolChoice: unknown): CohereToolFields {
  let list = (tools ?? []).map(
    (t): CohereTool => ({
      type: "function",
      function: {
        name: t.function.name,
        ...(t.function.description !== undefined ? { description: t.function.description } : {}),
        ...(t.function.parameters !== undefined ? { parameters: t.function.parameters } : {}),
      },
    }),
  );
  const strict = (tools ?? []).some((t) => t.function.strict === true);
  let choice: CohereToolFields["tool_choice"];
  if (toolChoice === undefined || toolChoice === "auto") choice = undefined;
  else if (toolChoice === "none") choice = list.length ? "NONE" : undefined;
  else if (toolChoice === "required") {
    if (!list.length) throw errors.invalid("tool_choice 'required' needs at least one tool in 'tools'.");
    choice = "REQUIRED";
  } else {
    const name = (toolChoice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== "string") throw errors.invalid("tool_choice.function.name is required.");
    list = list.filter((t) => t.function.name === name);
    if (!list.length) throw errors.invalid(`tool_choice names the function '${name}', which is not in 'tools'.`);
    choice = "REQUIRED";
  }
  return {
    ...(list.length ? { tools: list } : {}),
    ...(choice ? { tool_choice: choice } : {}),
    ...(strict && list.length ? { strict_tools: true } : {}),
  };
}
