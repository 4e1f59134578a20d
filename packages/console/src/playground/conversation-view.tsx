import type { ChatMessage } from "@edgeserve/api";
import { useState } from "preact/hooks";
import type { Reply } from "./assemble-reply";
import { MarkdownView } from "./markdown-view";
import { messageText } from "./playground-state";

export type OutputFormat = "markdown" | "text";

interface Props {
  history: ChatMessage[];
  /** The reply still arriving, shown after the history. */
  live: Reply | undefined;
  format: OutputFormat;
  busy: boolean;
  onEdit: (index: number, content: string) => void;
}

const ROLE_NAMES: Record<string, string> = {
  system: "System",
  developer: "Developer",
  user: "You",
  assistant: "Assistant",
  tool: "Tool result",
};

/** A pane's conversation. Model output is untrusted: Markdown built as elements, or plain text. */
export function ConversationView({ history, live, format, busy, onEdit }: Props) {
  const [editing, setEditing] = useState<{ index: number; text: string } | null>(null);
  return (
    <ol class="pg-conversation" aria-label="Conversation">
      {history.map((message, index) => (
        <li key={index} class={`pg-message pg-${message.role}`}>
          <span class="pg-role">{ROLE_NAMES[message.role] ?? message.role}</span>
          {editing?.index === index ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                onEdit(index, editing.text);
                setEditing(null);
              }}
            >
              <label class="visually-hidden" for={`edit-${index}`}>
                Edit your message
              </label>
              <textarea
                id={`edit-${index}`}
                rows={3}
                value={editing.text}
                onInput={(e) => setEditing({ index, text: e.currentTarget.value })}
                ref={(el) => el?.focus()}
              />
              <button type="submit">Save and resend</button>{" "}
              <button type="button" class="secondary" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </form>
          ) : (
            <MessageBody message={message} format={format} />
          )}
          {message.role === "user" && editing?.index !== index ? (
            <button
              type="button"
              class="link-button"
              disabled={busy}
              onClick={() => setEditing({ index, text: messageText(message) })}
            >
              Edit<span class="visually-hidden"> message {index + 1}</span>
            </button>
          ) : null}
        </li>
      ))}
      {live ? (
        <li class="pg-message pg-assistant" aria-busy="true">
          <span class="pg-role">Assistant</span>
          <Output text={live.content} format={format} />
          <ToolCalls calls={live.toolCalls.filter(Boolean)} />
        </li>
      ) : null}
    </ol>
  );
}

function MessageBody({ message, format }: { message: ChatMessage; format: OutputFormat }) {
  const text = messageText(message);
  if (message.role !== "assistant") return <div class="pg-text">{text}</div>;
  return (
    <>
      {text ? <Output text={text} format={format} /> : null}
      <ToolCalls calls={message.tool_calls ?? []} />
    </>
  );
}

function Output({ text, format }: { text: string; format: OutputFormat }) {
  return format === "markdown" ? <MarkdownView text={text} /> : <div class="pg-text">{text}</div>;
}

function ToolCalls({ calls }: { calls: NonNullable<ChatMessage["tool_calls"]> }) {
  if (!calls.length) return null;
  return (
    <ul class="pg-tool-calls" aria-label="Tool calls">
      {calls.map((call) => (
        <li key={call.id}>
          Calls <code>{call.function.name}</code> with <code>{call.function.arguments}</code>
        </li>
      ))}
    </ul>
  );
}
