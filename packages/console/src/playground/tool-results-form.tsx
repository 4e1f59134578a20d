import type { ChatMessage } from "@edgeserve/api";
import { useState } from "preact/hooks";

interface Props {
  calls: NonNullable<ChatMessage["tool_calls"]>;
  busy: boolean;
  /** Sends one `tool` message per call with what the user entered. */
  onSubmit: (results: ChatMessage[]) => void;
}

/** The Playground runs no tools: the user plays the tool and types each call's result. */
export function ToolResultsForm({ calls, busy, onSubmit }: Props) {
  const [results, setResults] = useState<Record<string, string>>({});
  return (
    <form
      class="pg-tool-results"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(calls.map((call) => ({ role: "tool", tool_call_id: call.id, content: results[call.id] ?? "" })));
        setResults({});
      }}
    >
      {calls.map((call) => (
        <div key={call.id}>
          <label for={`tool-result-${call.id}`}>
            Result of <code>{call.function.name}</code>({call.function.arguments})
          </label>
          <textarea
            id={`tool-result-${call.id}`}
            class="code"
            rows={2}
            value={results[call.id] ?? ""}
            onInput={(e) => setResults({ ...results, [call.id]: e.currentTarget.value })}
          />
        </div>
      ))}
      <button type="submit" disabled={busy}>
        Send tool {calls.length === 1 ? "result" : "results"}
      </button>
    </form>
  );
}
