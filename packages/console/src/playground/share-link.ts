import type { ChatMessage } from "@edgeserve/api";
import { type ChatSettings, settingsOfRequest } from "./chat-settings";
import { MAX_PANES, type PlaygroundState } from "./playground-state";
import { isRecord } from "./json-value";

/**
 * A comparison as a link: endpoints, settings, the conversation so far and the prompt, in the URL's fragment
 * (`#compare=…`). The fragment never leaves the browser, so prompts do not land in server logs, and the token
 * is never part of it: whoever opens the link queries with their own token and permissions.
 */
export interface SharedComparison {
  synced: boolean;
  /** The shared settings when synced; the first pane's otherwise. */
  shared: ChatSettings;
  panes: { endpoint: string; settings?: ChatSettings }[];
  history: ChatMessage[];
  prompt: string;
}

const PARAM = "compare";

export function comparisonOf(state: PlaygroundState, prompt: string): SharedComparison {
  return {
    synced: state.synced,
    shared: state.shared,
    panes: state.panes.map((p) =>
      state.synced ? { endpoint: p.endpoint } : { endpoint: p.endpoint, settings: p.settings },
    ),
    history: state.panes[0]?.history ?? [],
    prompt,
  };
}

/** The fragment (with `#`) that opens this comparison. */
export function comparisonFragment(comparison: SharedComparison): string {
  const bytes = new TextEncoder().encode(JSON.stringify(comparison));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const base64url = btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `#${PARAM}=${base64url}`;
}

/**
 * The comparison in a location's fragment: null when there is none, an error when it is damaged. Everything
 * in it is re-checked field by field: a link is input from anyone.
 */
export function readComparison(hash: string): SharedComparison | { error: string } | null {
  const value = new URLSearchParams(hash.replace(/^#/, "")).get(PARAM);
  if (value === null) return null;
  let raw: unknown;
  try {
    const binary = atob(value.replaceAll("-", "+").replaceAll("_", "/"));
    raw = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return { error: "This compare link is damaged: its state could not be read." };
  }
  if (!isRecord(raw) || !Array.isArray(raw.panes) || raw.panes.length === 0)
    return { error: "This compare link names no endpoint to compare." };
  const settings = (value: unknown): ChatSettings | undefined =>
    isRecord(value) ? settingsOfStored(value) : undefined;
  const panes = raw.panes.slice(0, MAX_PANES).map((p) => {
    const pane = isRecord(p) ? p : {};
    const own = settings(pane.settings);
    return { endpoint: typeof pane.endpoint === "string" ? pane.endpoint : "", ...(own ? { settings: own } : {}) };
  });
  return {
    synced: raw.synced !== false,
    shared: settings(raw.shared) ?? settingsOfStored({}),
    panes,
    history: settingsOfRequest({ messages: raw.history }).history,
    prompt: typeof raw.prompt === "string" ? raw.prompt : "",
  };
}

/** Settings as stored in a link, checked through the same reader as a request body. */
function settingsOfStored(value: Record<string, unknown>): ChatSettings {
  const { settings } = settingsOfRequest({
    messages: typeof value.systemPrompt === "string" ? [{ role: "system", content: value.systemPrompt }] : [],
    temperature: value.temperature,
    max_tokens: value.maxTokens,
    top_p: value.topP,
    stop: value.stop,
    stream: value.stream,
  });
  return { ...settings, toolsJson: typeof value.toolsJson === "string" ? value.toolsJson : "" };
}

/** The state a comparison opens as: panes numbered from 1, each with the shared history. */
export function stateOfComparison(comparison: SharedComparison): PlaygroundState {
  return {
    synced: comparison.synced,
    shared: comparison.shared,
    panes: comparison.panes.map((p, i) => ({
      id: i + 1,
      endpoint: p.endpoint,
      settings: p.settings ?? { ...comparison.shared },
      history: comparison.history,
    })),
  };
}
