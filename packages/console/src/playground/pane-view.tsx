import type { ChatMessage, ChatRequest } from "@edgeserve/api";
import { useState } from "preact/hooks";
import type { EndpointSummary } from "../api";
import type { ChatRun } from "./chat-client";
import type { ChatSettings } from "./chat-settings";
import { ConversationView, type OutputFormat } from "./conversation-view";
import { ExportPanel } from "./export-panel";
import { InspectorPanel } from "./inspector-panel";
import { MetricsBar } from "./metrics-bar";
import { type Pane, historyToRegenerate, historyWithEdit, pendingToolCalls } from "./playground-state";
import { SettingsForm } from "./settings-form";
import { ToolResultsForm } from "./tool-results-form";

interface Props {
  pane: Pane;
  number: number;
  endpoints: EndpointSummary[];
  /** Set when settings are per pane: the pane shows its own form. */
  ownSettings?: { settings: ChatSettings; onChange: (patch: Partial<ChatSettings>) => void };
  run: ChatRun | undefined;
  /** The request the pane would send now (for export before anything was sent). */
  preview: ChatRequest | undefined;
  canRemove: boolean;
  onEndpoint: (name: string) => void;
  onRemove: () => void;
  /** Sends this history (ending with the user's turn or tool results) from this pane. */
  onSend: (history: ChatMessage[]) => void;
  onStop: () => void;
}

/** One model under test: endpoint, conversation, the live reply, metrics, export and the raw response. */
export function PaneView(props: Props) {
  const { pane, number, run } = props;
  const [format, setFormat] = useState<OutputFormat>("markdown");
  const label = `Pane ${number}`;
  const busy = run?.status === "running";
  const pending = busy ? [] : pendingToolCalls(pane.history);
  const regenerate = historyToRegenerate(pane.history);
  const selectId = `pane-${pane.id}-endpoint`;
  return (
    <section class="pg-pane" aria-labelledby={`pane-${pane.id}-title`}>
      <header class="pg-pane-header">
        <h2 id={`pane-${pane.id}-title`}>{label}</h2>
        <label for={selectId} class="visually-hidden">
          Endpoint of {label.toLowerCase()}
        </label>
        <select id={selectId} value={pane.endpoint} onChange={(e) => props.onEndpoint(e.currentTarget.value)}>
          <option value="">Choose an endpoint…</option>
          {props.endpoints.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
              {e.state.ready === "READY" ? "" : " (not ready)"}
            </option>
          ))}
          {pane.endpoint && !props.endpoints.some((e) => e.name === pane.endpoint) ? (
            <option value={pane.endpoint}>{pane.endpoint} (not a chat endpoint you can query)</option>
          ) : null}
        </select>
        {props.canRemove ? (
          <button type="button" class="secondary" onClick={props.onRemove}>
            Remove<span class="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        ) : null}
      </header>
      {props.ownSettings ? (
        <details>
          <summary>Settings of {label.toLowerCase()}</summary>
          <SettingsForm {...props.ownSettings} label={`Settings of ${label.toLowerCase()}`} />
        </details>
      ) : null}
      <MetricsBar run={run} />
      <p class="pg-status" aria-live="polite">
        {statusText(run)}
      </p>
      {run?.error ? (
        <div class="error" role="alert">
          <strong>{run.error.errorCode}</strong>: {run.error.message}
          {run.facts?.requestId ? <small> (request id {run.facts.requestId})</small> : null}
        </div>
      ) : null}
      <ConversationView
        history={pane.history}
        live={busy ? run?.reply : undefined}
        format={format}
        busy={busy}
        onEdit={(index, content) => props.onSend(historyWithEdit(pane.history, index, content))}
      />
      {pending.length ? (
        <ToolResultsForm
          calls={pending}
          busy={busy}
          onSubmit={(results) => props.onSend([...pane.history, ...results])}
        />
      ) : null}
      <div class="toolbar">
        {busy ? (
          <button type="button" class="danger" onClick={props.onStop}>
            Stop<span class="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        ) : (
          <button
            type="button"
            class="secondary"
            disabled={!regenerate || !pane.endpoint}
            onClick={() => regenerate && props.onSend(regenerate)}
          >
            Regenerate<span class="visually-hidden"> {label.toLowerCase()}</span>
          </button>
        )}
        <label class="pg-inline">
          <input
            type="checkbox"
            checked={format === "markdown"}
            onChange={(e) => setFormat(e.currentTarget.checked ? "markdown" : "text")}
          />{" "}
          Render Markdown
        </label>
      </div>
      <details>
        <summary>Export request</summary>
        <ExportPanel request={run?.request ?? props.preview} paneLabel={label} />
      </details>
      <details>
        <summary>Inspect response</summary>
        <InspectorPanel run={run} endpoint={pane.endpoint} />
      </details>
    </section>
  );
}

function statusText(run: ChatRun | undefined): string {
  if (!run) return "";
  if (run.status === "running") return "Answering…";
  if (run.status === "stopped") return "Stopped.";
  if (run.status === "failed") return "Failed.";
  return run.reply.finishReason ? `Done (${run.reply.finishReason}).` : "Done.";
}
