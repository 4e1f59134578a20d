import type { ChatMessage } from "@edgeserve/api";
import { describe, expect, it } from "vitest";
import {
  MAX_PANES,
  addPane,
  historyToRegenerate,
  historyWithEdit,
  initialState,
  messageText,
  pendingToolCalls,
  removePane,
  setSynced,
  settingsOf,
  updateSettings,
} from "./playground-state";

describe("panes", () => {
  it("adds up to three panes, each with the settings of the last, and keeps the last one", () => {
    let state = updateSettings(initialState(), 1, { temperature: 0.7 });
    for (let i = 0; i < 5; i++) state = addPane(state, `e${i}`);
    expect(state.panes.map((p) => [p.id, p.endpoint])).toEqual([
      [1, ""],
      [2, "e0"],
      [3, "e1"],
    ]);
    expect(state.panes).toHaveLength(MAX_PANES);
    expect(state.panes[2]?.settings.temperature).toBe(0.7);
    state = removePane(removePane(state, 1), 2);
    expect(removePane(state, 3).panes.map((p) => p.id)).toEqual([3]);
  });

  it("synced settings change every pane; per-pane settings change one", () => {
    let state = addPane(addPane(initialState()));
    state = updateSettings(state, 2, { maxTokens: 10 });
    expect(state.panes.map((p) => settingsOf(state, p).maxTokens)).toEqual([10, 10, 10]);
    state = setSynced(state, false);
    state = updateSettings(state, 2, { maxTokens: 99 });
    expect(state.panes.map((p) => settingsOf(state, p).maxTokens)).toEqual([10, 99, 10]);
    // Syncing again takes the first pane's settings for all.
    state = updateSettings(state, 1, { topP: 0.1 });
    state = setSynced(state, true);
    expect(state.panes.map((p) => settingsOf(state, p))).toEqual(
      Array(3).fill(expect.objectContaining({ maxTokens: 10, topP: 0.1 })),
    );
  });
});

const toolCall = (id: string) => ({ id, type: "function" as const, function: { name: "f", arguments: "{}" } });

describe("conversation", () => {
  const history: ChatMessage[] = [
    { role: "user", content: "one" },
    { role: "assistant", content: "1" },
    { role: "user", content: "two" },
    { role: "assistant", content: null, tool_calls: [toolCall("a"), toolCall("b")] },
    { role: "tool", tool_call_id: "a", content: "sunny" },
  ];

  it("regenerates from the last user message (resent as is after a failure), not without one", () => {
    expect(historyToRegenerate(history)).toEqual(history.slice(0, 3));
    expect(historyToRegenerate(history.slice(0, 3))).toEqual(history.slice(0, 3));
    expect(historyToRegenerate([])).toBeNull();
  });

  it("edits a user message and drops the turns after it", () => {
    expect(historyWithEdit(history, 0, "uno")).toEqual([{ role: "user", content: "uno" }]);
    expect(() => historyWithEdit(history, 1, "x")).toThrow(/not a user message/);
  });

  it("lists the tool calls still waiting for a result", () => {
    expect(pendingToolCalls(history).map((c) => c.id)).toEqual(["b"]);
    expect(pendingToolCalls(history.slice(0, 2))).toEqual([]);
  });

  it("shows text parts as text", () => {
    expect(messageText({ role: "user", content: [{ type: "text", text: "a" }, { type: "image_url" }] })).toBe(
      "a[image_url]",
    );
    expect(messageText({ role: "assistant", content: null })).toBe("");
  });
});
