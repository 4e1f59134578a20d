/**
 * Ready-to-run examples of querying an endpoint, in curl, Python and TypeScript. The token is a placeholder
 * (never the signed-in user's), read from the DATABRICKS_TOKEN environment variable as Databricks' clients do.
 */
export interface QuerySnippets {
  body: unknown;
  curl: string;
  python: string;
  typescript: string;
}

/** A request body that fits the endpoint's task. */
export function exampleBody(task: string | undefined): unknown {
  switch (task) {
    case "llm/v1/chat":
      return { messages: [{ role: "user", content: "Say hello in one sentence." }], max_tokens: 64 };
    case "llm/v1/completions":
      return { prompt: "Say hello in one sentence.", max_tokens: 64 };
    case "llm/v1/embeddings":
      return { input: ["Edgeserve runs models at the edge."] };
    default:
      return { dataframe_split: { columns: ["x"], data: [[1.0]] } };
  }
}

export function querySnippets(origin: string, name: string, task: string | undefined): QuerySnippets {
  const body = exampleBody(task);
  const json = JSON.stringify(body, null, 2);
  const url = `${origin}/serving-endpoints/${name}/invocations`;
  const curl = [
    `curl -sS ${url} \\`,
    `  -H "Authorization: Bearer $DATABRICKS_TOKEN" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body).replaceAll("'", "'\\''")}'`,
  ].join("\n");
  const openaiCall: Record<string, [string, string]> = {
    "llm/v1/chat": ["chat.completions.create", "choices[0].message.content"],
    "llm/v1/completions": ["completions.create", "choices[0].text"],
    "llm/v1/embeddings": ["embeddings.create", "data[0].embedding[:5]"],
  };
  const call = task ? openaiCall[task] : undefined;
  const python = call
    ? [
        "import os",
        "from openai import OpenAI",
        "",
        `client = OpenAI(api_key=os.environ["DATABRICKS_TOKEN"], base_url="${origin}/serving-endpoints")`,
        `response = client.${call[0]}(`,
        `    model="${name}",`,
        ...Object.entries(body as Record<string, unknown>).map(([k, v]) => `    ${k}=${pythonLiteral(v)},`),
        ")",
        `print(response.${call[1]})`,
      ].join("\n")
    : [
        "import os",
        "import requests",
        "",
        "response = requests.post(",
        `    "${url}",`,
        '    headers={"Authorization": f"Bearer {os.environ[\'DATABRICKS_TOKEN\']}"},',
        `    json=${pythonLiteral(body)},`,
        "    timeout=60,",
        ")",
        "response.raise_for_status()",
        "print(response.json())",
      ].join("\n");
  const typescript = call
    ? [
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ apiKey: process.env.DATABRICKS_TOKEN, baseURL: "${origin}/serving-endpoints" });`,
        `const response = await client.${call[0]}({ model: "${name}", ...${JSON.stringify(body)} });`,
        `console.log(response.${call[1].replace("[:5]", ".slice(0, 5)")});`,
      ].join("\n")
    : [
        `const response = await fetch("${url}", {`,
        '  method: "POST",',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated TypeScript holds a template literal.
        '  headers: { Authorization: `Bearer ${process.env.DATABRICKS_TOKEN}`, "Content-Type": "application/json" },',
        `  body: JSON.stringify(${JSON.stringify(body)}),`,
        "});",
        "console.log(await response.json());",
      ].join("\n");
  return { body: JSON.parse(json), curl, python, typescript };
}

/** JSON as a Python literal (True/False/None). */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`)
    .join(", ")}}`;
}
