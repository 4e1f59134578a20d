import { settingsOfRequest } from "./chat-settings";
import { isRecord, parseJson } from "./json-value";
import { type SharedComparison, comparisonFragment } from "./share-link";

/** Where the console's Playground lives (routes.tsx). */
const PLAYGROUND_PATH = "/playground";

/**
 * "Open in the Playground" for one payload log (a chat request the endpoint logged): the request's messages,
 * system prompt and settings in one pane on that endpoint, with the last user message in the prompt box so it
 * can be edited before sending again. Null when the logged request is not a chat request (or was too large to
 * be logged).
 */
export function playgroundLinkOfPayloadLog(endpoint: string, request: string | null): string | null {
  const comparison = comparisonOfPayloadLog(endpoint, request);
  return comparison ? `${PLAYGROUND_PATH}${comparisonFragment(comparison)}` : null;
}

export function comparisonOfPayloadLog(endpoint: string, request: string | null): SharedComparison | null {
  if (!request) return null;
  const body = parseJson(request);
  if (!isRecord(body) || !Array.isArray(body.messages)) return null;
  const { settings, history } = settingsOfRequest(body);
  const last = history[history.length - 1];
  const prompt = last?.role === "user" && typeof last.content === "string" ? last.content : "";
  return {
    synced: true,
    shared: settings,
    panes: [{ endpoint }],
    history: prompt ? history.slice(0, -1) : history,
    prompt,
  };
}
