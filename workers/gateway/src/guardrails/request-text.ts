type Rewrite = (text: string) => string;

function rewriteStringOrList(value: unknown, rewrite: Rewrite): unknown {
  if (typeof value === "string") return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? rewrite(v) : v));
  return value;
}

function rewriteMessageContent(content: unknown, rewrite: Rewrite): unknown {
  if (typeof content === "string") return rewrite(content);
  if (!Array.isArray(content)) return content;
  // OpenAI content parts: only text parts carry text ({type: "text", text}).
  return content.map((part) =>
    part &&
    typeof part === "object" &&
    (part as { type?: unknown }).type === "text" &&
    typeof (part as { text?: unknown }).text === "string"
      ? { ...part, text: rewrite((part as { text: string }).text) }
      : part,
  );
}

/**
 * A copy of a query body with every text a model reads passed through `rewrite`: chat `messages[].content`
 * (strings and text parts), completions `prompt`, embeddings `input`. Other fields are kept as they are.
 */
export function rewriteRequestTexts(body: Record<string, unknown>, rewrite: Rewrite): Record<string, unknown> {
  const copy = { ...body };
  if (Array.isArray(body.messages)) {
    copy.messages = body.messages.map((m) =>
      m && typeof m === "object" && "content" in m
        ? { ...m, content: rewriteMessageContent((m as { content: unknown }).content, rewrite) }
        : m,
    );
  }
  if ("prompt" in body) copy.prompt = rewriteStringOrList(body.prompt, rewrite);
  if ("input" in body) copy.input = rewriteStringOrList(body.input, rewrite);
  return copy;
}

/** Every text a model reads in a query body, in order. */
export function requestTexts(body: Record<string, unknown>): string[] {
  const texts: string[] = [];
  rewriteRequestTexts(body, (text) => {
    texts.push(text);
    return text;
  });
  return texts;
}

/**
 * The text the model-judged guardrails (safety, valid_topics) look at: for chat, the latest user
 * message (earlier turns were judged when they were sent, and a long system prompt would drown the
 * question); otherwise every text of the body.
 */
export function textToJudge(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) {
    const lastUser = [...body.messages]
      .reverse()
      .find((m) => m && typeof m === "object" && (m as { role?: unknown }).role === "user");
    return lastUser ? requestTexts({ messages: [lastUser] }).join("\n") : "";
  }
  return requestTexts(body).join("\n");
}
