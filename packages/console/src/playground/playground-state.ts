import type { ChatMessage } from "@edgeserve/api";
import { type ChatSettings, DEFAULT_SETTINGS } from "./chat-settings";

/** Side-by-side comparison stops at three panes, as peers' compare views do: more no longer fit a screen. */
export const MAX_PANES = 3;

/** One model being tried: its endpoint, its own settings (used when settings are not synced), its conversation. */
export interface Pane {
  id: number;
  endpoint: string;
  settings: ChatSettings;
  history: ChatMessage[];
}

export interface PlaygroundState {
  panes: Pane[];
  /** When true every pane uses `shared`; when false each its own `settings`. */
  synced: boolean;
  shared: ChatSettings;
}

export function initialState(): PlaygroundState {
  return { panes: [newPane(1, "")], synced: true, shared: { ...DEFAULT_SETTINGS } };
}

function newPane(id: number, endpoint: string, settings: ChatSettings = { ...DEFAULT_SETTINGS }): Pane {
  return { id, endpoint, settings, history: [] };
}

/** The settings a pane's next request uses. */
export function settingsOf(state: PlaygroundState, pane: Pane): ChatSettings {
  return state.synced ? state.shared : pane.settings;
}

/** Adds a pane (up to MAX_PANES) with the settings the last pane uses, so a comparison starts from equal ground. */
export function addPane(state: PlaygroundState, endpoint = ""): PlaygroundState {
  if (state.panes.length >= MAX_PANES) return state;
  const last = state.panes[state.panes.length - 1];
  const id = Math.max(0, ...state.panes.map((p) => p.id)) + 1;
  const settings = { ...(last ? settingsOf(state, last) : DEFAULT_SETTINGS) };
  return { ...state, panes: [...state.panes, newPane(id, endpoint, settings)] };
}

/** Removes a pane; the last one stays. */
export function removePane(state: PlaygroundState, id: number): PlaygroundState {
  if (state.panes.length <= 1) return state;
  return { ...state, panes: state.panes.filter((p) => p.id !== id) };
}

/**
 * Switches between synced and per-pane settings without losing what the user sees: unsyncing gives every pane
 * a copy of the shared settings; syncing makes the first pane's settings the shared ones.
 */
export function setSynced(state: PlaygroundState, synced: boolean): PlaygroundState {
  if (synced === state.synced) return state;
  if (!synced) return { ...state, synced, panes: state.panes.map((p) => ({ ...p, settings: { ...state.shared } })) };
  const first = state.panes[0];
  return { ...state, synced, shared: { ...(first ? first.settings : state.shared) } };
}

/** Changes settings: the shared ones when synced, else the pane's own. */
export function updateSettings(state: PlaygroundState, paneId: number, patch: Partial<ChatSettings>): PlaygroundState {
  if (state.synced) return { ...state, shared: { ...state.shared, ...patch } };
  return updatePane(state, paneId, (p) => ({ ...p, settings: { ...p.settings, ...patch } }));
}

export function updatePane(state: PlaygroundState, paneId: number, change: (pane: Pane) => Pane): PlaygroundState {
  return { ...state, panes: state.panes.map((p) => (p.id === paneId ? change(p) : p)) };
}

/** Clears every pane's conversation (a new chat), keeping endpoints and settings. */
export function clearConversations(state: PlaygroundState): PlaygroundState {
  return { ...state, panes: state.panes.map((p) => ({ ...p, history: [] })) };
}

/**
 * The history to resend to regenerate the last reply: up to the last user message (the turns after it, tool
 * results included, are asked again). A failed request left the user message last: it is simply resent.
 * Null when there is nothing to ask.
 */
export function historyToRegenerate(history: ChatMessage[]): ChatMessage[] | null {
  const lastUser = history.findLastIndex((m) => m.role === "user");
  return lastUser < 0 ? null : history.slice(0, lastUser + 1);
}

/** The history after editing message `index` (a user message): later turns are dropped, to be asked again. */
export function historyWithEdit(history: ChatMessage[], index: number, content: string): ChatMessage[] {
  const message = history[index];
  if (message?.role !== "user") throw new Error(`Message ${index} is not a user message.`);
  return [...history.slice(0, index), { ...message, content }];
}

/** Tool calls of the last assistant message that have no tool result yet (the user enters them by hand). */
export function pendingToolCalls(history: ChatMessage[]): NonNullable<ChatMessage["tool_calls"]> {
  const at = history.findLastIndex((m) => m.role === "assistant");
  const calls = history[at]?.tool_calls ?? [];
  const answered = new Set(history.slice(at + 1).map((m) => m.tool_call_id));
  return calls.filter((call) => !answered.has(call.id));
}

/** The text of a message's content (a string or OpenAI's text parts), for display and editing. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (typeof part.text === "string" ? part.text : `[${part.type}]`)).join("");
}
