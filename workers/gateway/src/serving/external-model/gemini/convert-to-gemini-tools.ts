import { errors } from "@edgeserve/api";
import { convertToolParameters } from "./convert-json-schema-to-gemini-schema";
import type { GeminiFunctionDeclaration, GeminiRequest } from "./gemini-types";

interface OpenAiTool {
  type: string;
  function?: { name: string; description?: string; parameters?: unknown; strict?: boolean };
}

/**
 * OpenAI `tools` + `tool_choice` → Gemini `tools[{functionDeclarations}]` + `toolConfig`:
 * auto → AUTO, none → NONE, required → ANY, a named function → ANY restricted to that name.
 */
export function convertToGeminiTools(
  tools: OpenAiTool[] | undefined,
  toolChoice: unknown,
  provider: string,
): Pick<GeminiRequest, "tools" | "toolConfig"> {
  if (!tools?.length) {
    if (toolChoice !== undefined && toolChoice !== "none" && toolChoice !== "auto")
      throw errors.invalid("tool_choice needs tools.");
    return {};
  }
  const declarations: GeminiFunctionDeclaration[] = tools.map((tool, i) => {
    if (tool.type !== "function" || !tool.function)
      throw errors.invalid(`${provider} supports only tools of type 'function' (tools[${i}]).`);
    const parameters = convertToolParameters(tool.function.parameters, provider, `tools[${i}].function.parameters`);
    return {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      ...(parameters ? { parameters } : {}),
    };
  });
  const out: Pick<GeminiRequest, "tools" | "toolConfig"> = { tools: [{ functionDeclarations: declarations }] };
  if (toolChoice === undefined) return out;
  if (toolChoice === "auto") out.toolConfig = { functionCallingConfig: { mode: "AUTO" } };
  else if (toolChoice === "none") out.toolConfig = { functionCallingConfig: { mode: "NONE" } };
  else if (toolChoice === "required") out.toolConfig = { functionCallingConfig: { mode: "ANY" } };
  else {
    const name = (toolChoice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== "string" || !declarations.some((d) => d.name === name))
      throw errors.invalid("tool_choice.function.name must name one of the tools.");
    out.toolConfig = { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [name] } };
  }
  return out;
}
