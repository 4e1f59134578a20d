import { errors } from "@edgeserve/api";

/**
 * PaLM's models were shut down; their Gemini API successors. An endpoint configured with a PaLM
 * model name keeps working and the response's `model` says which model answered.
 */
const RETIRED_PALM_MODELS: Record<string, string> = {
  "chat-bison-001": "gemini-2.5-flash",
  "text-bison-001": "gemini-2.5-flash",
  "embedding-gecko-001": "gemini-embedding-001",
};

/** The Gemini API model id for an external model name (`models/` prefix optional). */
export function geminiModelFor(name: string): string {
  const id = name.replace(/^models\//, "");
  if (!/^[A-Za-z0-9._-]+$/.test(id))
    throw errors.invalid(`The external model name '${name}' is not a Gemini API model id such as gemini-2.5-flash.`);
  return RETIRED_PALM_MODELS[id] ?? id;
}
