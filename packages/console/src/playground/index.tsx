import type { ChatMessage, ChatRequest } from "@edgeserve/api";
import { useEffect, useState } from "preact/hooks";
import { listEndpoints } from "../api";
import { ErrorMessage } from "../components/error-message";
import { useApi } from "../components/use-api";
import { assistantMessage } from "./assemble-reply";
import { CHAT_TASK, chatEndpoints } from "./chat-endpoints";
import { buildChatRequest, parseTools } from "./chat-settings";
import { PaneView } from "./pane-view";
import {
  MAX_PANES,
  type Pane,
  type PlaygroundState,
  addPane,
  clearConversations,
  initialState,
  removePane,
  setSynced,
  settingsOf,
  updatePane,
  updateSettings,
} from "./playground-state";
import { SettingsForm } from "./settings-form";
import { comparisonFragment, comparisonOf, readComparison, stateOfComparison } from "./share-link";
import { usePaneRuns } from "./use-pane-runs";
import "./playground.css";

/** What the page opens with: the comparison in the URL's fragment (a shared link, a payload log), or a new chat. */
function openingState(): { state: PlaygroundState; prompt: string; linkError?: string } {
  const shared = readComparison(location.hash);
  if (!shared) return { state: initialState(), prompt: "" };
  if ("error" in shared) return { state: initialState(), prompt: "", linkError: shared.error };
  return { state: stateOfComparison(shared), prompt: shared.prompt };
}

/**
 * The AI Playground: up to three chat endpoints side by side, one prompt sent to all. Every request goes
 * through the public API with the signed-in user's token, so it can query only what the API lets them query.
 */
export default function Playground() {
  const [opening] = useState(openingState);
  const [state, setState] = useState(opening.state);
  const [prompt, setPrompt] = useState(opening.prompt);
  const [shareLink, setShareLink] = useState("");
  const [sendError, setSendError] = useState("");
  const { runs, start, stop, stopAll, running } = usePaneRuns();
  // The API filters by task (the search matches names, creators and tasks; names and creators hold no `/`).
  const endpoints = useApi((signal) => listEndpoints({ search: CHAT_TASK }, signal), []);
  const choices = chatEndpoints(endpoints.data?.endpoints ?? []);

  // Esc stops every stream, wherever the focus is.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") stopAll();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const requestOf = (pane: Pane, history: ChatMessage[]): ChatRequest =>
    buildChatRequest(pane.endpoint, settingsOf(state, pane), history);

  /** Sends a pane's history; the reply (complete, or as far as it got when stopped) joins the history. */
  const sendFrom = async (pane: Pane, history: ChatMessage[]) => {
    let request: ChatRequest;
    try {
      request = requestOf(pane, history);
    } catch (e) {
      setSendError(e instanceof Error ? e.message : String(e));
      return;
    }
    setState((s) => updatePane(s, pane.id, (p) => ({ ...p, history })));
    const run = await start(pane.id, request);
    const replied = run.status === "done" || (run.status === "stopped" && run.reply.content);
    if (replied)
      setState((s) => updatePane(s, pane.id, (p) => ({ ...p, history: [...history, assistantMessage(run.reply)] })));
  };

  const ready = state.panes.filter((p) => p.endpoint);
  const toolsError = state.panes
    .map((p) => parseTools(settingsOf(state, p).toolsJson))
    .find((t): t is { error: string } => "error" in t);
  const canSend = !running && prompt.trim() !== "" && ready.length > 0 && !toolsError;

  const send = () => {
    if (!canSend) return;
    setSendError("");
    for (const pane of ready) void sendFrom(pane, [...pane.history, { role: "user", content: prompt }]);
    setPrompt("");
  };

  const share = () => {
    const fragment = comparisonFragment(comparisonOf(state, prompt));
    history.replaceState(history.state, "", fragment);
    setShareLink(`${location.origin}${location.pathname}${fragment}`);
  };

  return (
    <section class="pg">
      <h1>Playground</h1>
      <ErrorMessage error={endpoints.error} />
      {opening.linkError ? (
        <div class="error" role="alert">
          {opening.linkError}
        </div>
      ) : null}
      {endpoints.data && choices.length === 0 ? (
        <p>
          No chat endpoint you can query yet. Create one with an external chat model on the{" "}
          <a href="/endpoints">serving endpoints</a> page, or ask for CAN_QUERY on one.
        </p>
      ) : null}
      <div class="toolbar">
        <button
          type="button"
          class="secondary"
          disabled={state.panes.length >= MAX_PANES}
          onClick={() => setState((s) => addPane(s))}
        >
          Add pane to compare
        </button>
        {state.panes.length > 1 ? (
          <label class="pg-inline">
            <input
              type="checkbox"
              checked={state.synced}
              onChange={(e) => setState((s) => setSynced(s, e.currentTarget.checked))}
            />{" "}
            Same settings for every pane
          </label>
        ) : null}
        <button type="button" class="secondary" onClick={share}>
          Copy compare link
        </button>
        <button type="button" class="secondary" disabled={running} onClick={() => setState(clearConversations)}>
          New chat
        </button>
      </div>
      {shareLink ? (
        <p>
          <label for="pg-share-link">Compare link (holds no token: whoever opens it uses their own)</label>
          <input
            id="pg-share-link"
            class="pg-wide"
            readOnly
            value={shareLink}
            onFocus={(e) => e.currentTarget.select()}
          />
        </p>
      ) : null}
      {state.synced ? (
        <details>
          <summary>Settings{state.panes.length > 1 ? " (every pane)" : ""}</summary>
          <SettingsForm
            settings={state.shared}
            label={state.panes.length > 1 ? "Settings for every pane" : "Settings"}
            onChange={(patch) => setState((s) => updateSettings(s, 0, patch))}
          />
        </details>
      ) : null}
      <div class={`pg-panes pg-panes-${state.panes.length}`}>
        {state.panes.map((pane, i) => (
          <PaneView
            key={pane.id}
            pane={pane}
            number={i + 1}
            endpoints={choices}
            run={runs[pane.id]}
            preview={
              pane.endpoint && prompt.trim() && !toolsError
                ? requestOf(pane, [...pane.history, { role: "user", content: prompt }])
                : undefined
            }
            canRemove={state.panes.length > 1}
            ownSettings={
              state.synced
                ? undefined
                : {
                    settings: pane.settings,
                    onChange: (patch) => setState((s) => updateSettings(s, pane.id, patch)),
                  }
            }
            onEndpoint={(name) => setState((s) => updatePane(s, pane.id, (p) => ({ ...p, endpoint: name })))}
            onRemove={() => {
              stop(pane.id);
              setState((s) => removePane(s, pane.id));
            }}
            onSend={(history) => void sendFrom(pane, history)}
            onStop={() => stop(pane.id)}
          />
        ))}
      </div>
      <form
        class="pg-composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <label for="pg-prompt">Prompt</label>
        <textarea
          id="pg-prompt"
          rows={3}
          aria-describedby="pg-prompt-help"
          value={prompt}
          onInput={(e) => setPrompt(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              send();
            }
          }}
        />
        <p class="help" id="pg-prompt-help">
          Ctrl+Enter (⌘+Enter on a Mac) sends to every pane with an endpoint; Esc stops.
        </p>
        {sendError || toolsError ? (
          <div class="error" role="alert">
            {sendError || toolsError?.error}
          </div>
        ) : null}
        {running ? (
          <button type="button" class="danger" onClick={stopAll}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!canSend}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
