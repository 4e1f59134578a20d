type Rewrite = (text: string) => string;

/**
 * A copy of a JSON query response with each generated text passed through `rewrite`: chat
 * `choices[].message.content` and completions `choices[].text`. Embeddings and other shapes are returned as they are.
 */
export function rewriteResponseTexts(response: unknown, rewrite: Rewrite): unknown {
  if (!response || typeof response !== "object" || !Array.isArray((response as { choices?: unknown }).choices))
    return response;
  const body = response as { choices: unknown[] };
  return {
    ...body,
    choices: body.choices.map((choice) => {
      if (!choice || typeof choice !== "object") return choice;
      const c = choice as { message?: { content?: unknown }; text?: unknown };
      if (c.message && typeof c.message.content === "string")
        return { ...c, message: { ...c.message, content: rewrite(c.message.content) } };
      if (typeof c.text === "string") return { ...c, text: rewrite(c.text) };
      return choice;
    }),
  };
}

/** Every generated text of a JSON query response, in order. */
export function responseTexts(response: unknown): string[] {
  const texts: string[] = [];
  rewriteResponseTexts(response, (text) => {
    texts.push(text);
    return text;
  });
  return texts;
}
