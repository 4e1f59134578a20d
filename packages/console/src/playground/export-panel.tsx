import type { ChatRequest } from "@edgeserve/api";
import { useState } from "preact/hooks";
import { type SnippetLanguage, TOKEN_VARIABLE, exportRequest } from "./export-request";

const LANGUAGES: [SnippetLanguage, string][] = [
  ["curl", "curl"],
  ["python", "Python (openai)"],
  ["typescript", "TypeScript (openai)"],
];

/** The exact request as code, in tabs; the token stays a placeholder read from the environment. */
export function ExportPanel({ request, paneLabel }: { request: ChatRequest | undefined; paneLabel: string }) {
  const [language, setLanguage] = useState<SnippetLanguage>("curl");
  const [copied, setCopied] = useState(false);
  if (!request) return <p class="help">Send a prompt (or type one) to export its request.</p>;
  const code = exportRequest(language, location.origin, request);
  const tabId = (l: SnippetLanguage) => `${paneLabel}-export-${l}`.replaceAll(" ", "-");
  const copy = async () => {
    await navigator.clipboard?.writeText(code).catch(() => undefined);
    setCopied(true);
  };
  return (
    <div>
      <div role="tablist" aria-label={`Export language, ${paneLabel}`}>
        {LANGUAGES.map(([value, name]) => (
          <button
            key={value}
            type="button"
            role="tab"
            id={tabId(value)}
            aria-selected={language === value}
            tabIndex={language === value ? 0 : -1}
            onClick={() => {
              setLanguage(value);
              setCopied(false);
            }}
            onKeyDown={(e) => {
              // Arrow keys move between tabs, as the ARIA tabs pattern expects.
              if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
              const at = LANGUAGES.findIndex(([l]) => l === language);
              const next = LANGUAGES[(at + (e.key === "ArrowRight" ? 1 : LANGUAGES.length - 1)) % LANGUAGES.length];
              if (!next) return;
              setLanguage(next[0]);
              document.getElementById(tabId(next[0]))?.focus();
            }}
          >
            {name}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-labelledby={tabId(language)}>
        <p class="help">
          Set <code>{TOKEN_VARIABLE}</code> to your personal access token before running it.
        </p>
        <pre data-snippet={language}>
          <code>{code}</code>
        </pre>
        <button type="button" class="secondary" onClick={copy}>
          Copy
        </button>{" "}
        <span aria-live="polite">{copied ? "Copied." : ""}</span>
      </div>
    </div>
  );
}
