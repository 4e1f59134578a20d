import { useId } from "preact/hooks";
import { type ChatSettings, MAX_STOP_SEQUENCES, parseTools } from "./chat-settings";

interface Props {
  settings: ChatSettings;
  onChange: (patch: Partial<ChatSettings>) => void;
  /** Names the form for assistive technology: "Settings for every pane", "Settings of pane 2". */
  label: string;
}

type NumberKey = "temperature" | "maxTokens" | "topP";

/** The numeric settings with the API's bounds (the browser's hints; the API has the last word). */
const NUMBER_FIELDS: [NumberKey, string, { min: number; max?: number; step: number }][] = [
  ["temperature", "Temperature", { min: 0, max: 2, step: 0.1 }],
  ["maxTokens", "Max tokens", { min: 1, step: 1 }],
  ["topP", "Top p", { min: 0, max: 1, step: 0.05 }],
];

/** A request's settings. Empty numbers are not sent (the provider's default applies); the API checks ranges. */
export function SettingsForm({ settings, onChange, label }: Props) {
  const id = useId();
  const tools = parseTools(settings.toolsJson);
  const number = (key: NumberKey) => (e: Event) => {
    const text = (e.currentTarget as HTMLInputElement).value;
    onChange({ [key]: text === "" ? undefined : Number(text) });
  };
  return (
    <fieldset class="pg-settings">
      <legend>{label}</legend>
      <label for={`${id}-system`}>System prompt</label>
      <textarea
        id={`${id}-system`}
        rows={2}
        value={settings.systemPrompt}
        onInput={(e) => onChange({ systemPrompt: e.currentTarget.value })}
      />
      <div class="pg-numbers">
        {NUMBER_FIELDS.map(([key, name, bounds]) => (
          <div key={key}>
            <label for={`${id}-${key}`}>{name}</label>
            <input
              id={`${id}-${key}`}
              type="number"
              {...bounds}
              placeholder="default"
              value={settings[key] ?? ""}
              onInput={number(key)}
            />
          </div>
        ))}
      </div>
      <label for={`${id}-stop`}>Stop sequences</label>
      <textarea
        id={`${id}-stop`}
        rows={2}
        aria-describedby={`${id}-stop-help`}
        value={settings.stop.join("\n")}
        onInput={(e) => onChange({ stop: e.currentTarget.value.split("\n") })}
      />
      <p class="help" id={`${id}-stop-help`}>
        One per line, up to {MAX_STOP_SEQUENCES}.
      </p>
      <label class="pg-inline">
        <input
          type="checkbox"
          checked={settings.stream}
          onChange={(e) => onChange({ stream: e.currentTarget.checked })}
        />{" "}
        Stream the reply
      </label>
      <label for={`${id}-tools`}>Tools (JSON Schema)</label>
      <textarea
        id={`${id}-tools`}
        class="code"
        rows={settings.toolsJson ? 6 : 2}
        spellcheck={false}
        aria-describedby={`${id}-tools-help`}
        aria-invalid={"error" in tools}
        value={settings.toolsJson}
        onInput={(e) => onChange({ toolsJson: e.currentTarget.value })}
      />
      <p class={"error" in tools ? "error" : "help"} id={`${id}-tools-help`}>
        {"error" in tools
          ? tools.error
          : 'A JSON array of {"type": "function", "function": {"name", "description", "parameters"}}. ' +
            "When the model calls a tool, you enter its result by hand."}
      </p>
    </fieldset>
  );
}
