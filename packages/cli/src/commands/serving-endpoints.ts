import { chunkText, type components, streamQuery, unwrap } from "@edgeserve/sdk";
import { Command, Option } from "commander";
import { action, type CliIo, type CommandContext, readTextFile, withGlobalOptions } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit-codes";
import { parseJsonArg } from "../io/json-arg";
import { formatTable, formatTime } from "../io/output";
import { waitForEndpoint } from "./wait-for-endpoint";

type Schemas = components["schemas"];
type Endpoint = Schemas["ServingEndpointDetailed"];
type SetExit = (code: ExitCode) => void;

/** `edgeserve serving-endpoints …`: the Databricks CLI's command group of the same name. */
export function servingEndpointsCommand(io: CliIo, setExit: SetExit): Command {
  const group = new Command("serving-endpoints").description("create, inspect, query and delete serving endpoints");
  const json = (value: string) => parseJsonArg(value, io.cwd, readTextFile);
  const leaf = (name: string, description: string) => withGlobalOptions(group.command(name).description(description));

  leaf("create", "create an endpoint from a JSON body (the name may be given as an argument)")
    .argument("[NAME]", "the endpoint's name (else the body's `name`)")
    .requiredOption("--json <json|@file>", "the request body: inline JSON or @path")
    .option("--wait", "follow the deployment until it is READY or fails, printing build-log lines")
    .option("--timeout <minutes>", "with --wait: give up after this long (exit 5)", "20")
    .action(
      action(io, setExit, async (ctx, [name], options) => {
        const body = json(options.json as string);
        if (typeof name === "string") body.name = name;
        if (typeof body.name !== "string") throw new UsageError("give the endpoint's name as NAME or in the body.");
        const created = await unwrap(
          ctx.client.POST("/api/2.0/serving-endpoints", { body: body as Schemas["CreateServingEndpointRequest"] }),
        );
        if (!options.wait) {
          ctx.print(created, () => describeEndpoint(created));
          return EXIT.OK;
        }
        return followDeployment(ctx, created.name, options.timeout as string);
      }),
    );

  leaf("get", "show an endpoint")
    .argument("NAME")
    .action(
      action(io, setExit, async (ctx, [name]) => {
        const endpoint = await getEndpoint(ctx, name);
        ctx.print(endpoint, () => describeEndpoint(endpoint));
        return EXIT.OK;
      }),
    );

  leaf("list", "list the endpoints you can see").action(
    action(io, setExit, async (ctx) => {
      const { endpoints = [] } = await unwrap(ctx.client.GET("/api/2.0/serving-endpoints"));
      ctx.print({ endpoints }, () =>
        formatTable(endpoints, [
          { header: "NAME", value: (e) => e.name },
          { header: "STATE", value: (e) => e.state?.ready },
          { header: "CONFIG_UPDATE", value: (e) => e.state?.config_update },
          { header: "CREATOR", value: (e) => e.creator },
          { header: "CREATED", value: (e) => formatTime(e.creation_timestamp) },
        ]),
      );
      return EXIT.OK;
    }),
  );

  leaf("update-config", "replace an endpoint's served entities and traffic (starts a new config version)")
    .argument("NAME")
    .requiredOption("--json <json|@file>", "the new config: inline JSON or @path")
    .option("--wait", "follow the deployment until it is READY or fails")
    .option("--timeout <minutes>", "with --wait: give up after this long (exit 5)", "20")
    .action(
      action(io, setExit, async (ctx, [name], options) => {
        const updated = await unwrap(
          ctx.client.PUT("/api/2.0/serving-endpoints/{name}/config", {
            params: { path: { name } },
            body: json(options.json as string) as Schemas["EndpointCoreConfigInput"],
          }),
        );
        if (!options.wait) {
          ctx.print(updated, () => describeEndpoint(updated));
          return EXIT.OK;
        }
        return followDeployment(ctx, name, options.timeout as string);
      }),
    );

  leaf("delete", "delete an endpoint")
    .argument("NAME")
    .action(
      action(io, setExit, async (ctx, [name]) => {
        await unwrap(ctx.client.DELETE("/api/2.0/serving-endpoints/{name}", { params: { path: { name } } }));
        ctx.print({ deleted: name }, () => `Deleted ${name}.\n`);
        return EXIT.OK;
      }),
    );

  leaf("query", "query an endpoint (its invocations URL)")
    .argument("NAME")
    .requiredOption("--json <json|@file>", "the query body: inline JSON or @path (chat, completions, embeddings, …)")
    .option("--stream", "stream a chat or completions answer, printing tokens as they arrive")
    .action(
      action(io, setExit, async (ctx, [name], options) => {
        const body = json(options.json as string);
        if (options.stream) {
          const chunks = streamQuery(ctx.client, name, body as Schemas["ChatRequest"]);
          for await (const chunk of chunks) {
            ctx.io.stdout.write(ctx.output === "json" ? `${JSON.stringify(chunk)}\n` : chunkText(chunk));
          }
          if (ctx.output !== "json") ctx.io.stdout.write("\n");
          return EXIT.OK;
        }
        const answer = await unwrap(
          ctx.client.POST("/serving-endpoints/{name}/invocations", {
            params: { path: { name } },
            body: body as Schemas["InvocationRequest"],
          }),
        );
        ctx.print(answer, () => describeAnswer(answer));
        return EXIT.OK;
      }),
    );

  for (const [command, route, what] of [
    ["logs", "logs", "a served entity's logs"],
    ["build-logs", "build-logs", "a served entity's build logs"],
  ] as const) {
    leaf(command, `print ${what}`)
      .argument("NAME")
      .argument("SERVED_MODEL_NAME", "the served entity's name")
      .action(
        action(io, setExit, async (ctx, [name, entity]) => {
          const path = `/api/2.0/serving-endpoints/{name}/served-models/{served_model_name}/${route}` as const;
          const answer = await unwrap(ctx.client.GET(path, { params: { path: { name, served_model_name: entity } } }));
          ctx.print(answer, () => (answer.logs.endsWith("\n") || !answer.logs ? answer.logs : `${answer.logs}\n`));
          return EXIT.OK;
        }),
      );
  }

  leaf("get-open-api", "print the OpenAPI document of an endpoint's query schema")
    .argument("NAME")
    .action(
      action(io, setExit, async (ctx, [name]) => {
        const document = await unwrap(
          ctx.client.GET("/api/2.0/serving-endpoints/{name}/openapi", { params: { path: { name } } }),
        );
        ctx.print(document);
        return EXIT.OK;
      }),
    );

  leaf("put-ai-gateway", "replace an endpoint's AI Gateway config (guardrails, rate limits, usage tracking, …)")
    .argument("NAME")
    .requiredOption("--json <json|@file>", "the AI Gateway config: inline JSON or @path")
    .action(
      action(io, setExit, async (ctx, [name], options) => {
        const body = json(options.json as string) as Schemas["AiGateway"];
        const gateway = await unwrap(
          ctx.client.PUT("/api/2.0/serving-endpoints/{name}/ai-gateway", { params: { path: { name } }, body }),
        );
        ctx.print(gateway);
        return EXIT.OK;
      }),
    );

  leaf("get-permissions", "show an endpoint's access control list")
    .argument("SERVING_ENDPOINT_ID", "the endpoint's id (see `get`), not its name")
    .action(
      action(io, setExit, async (ctx, [id]) => {
        const permissions = await unwrap(
          ctx.client.GET("/api/2.0/permissions/serving-endpoints/{serving_endpoint_id}", {
            params: { path: { serving_endpoint_id: id } },
          }),
        );
        ctx.print(permissions, () => describePermissions(permissions));
        return EXIT.OK;
      }),
    );

  leaf("set-permissions", "replace an endpoint's access control list")
    .argument("SERVING_ENDPOINT_ID", "the endpoint's id (see `get`), not its name")
    .requiredOption(
      "--json <json|@file>",
      '{"access_control_list": [{"user_name"|"group_name"|…, "permission_level"}]}',
    )
    .action(
      action(io, setExit, async (ctx, [id], options) => {
        const body = json(options.json as string) as Schemas["SetPermissionsRequest"];
        const permissions = await unwrap(
          ctx.client.PUT("/api/2.0/permissions/serving-endpoints/{serving_endpoint_id}", {
            params: { path: { serving_endpoint_id: id } },
            body,
          }),
        );
        ctx.print(permissions, () => describePermissions(permissions));
        return EXIT.OK;
      }),
    );

  leaf("usage", "requests, errors and tokens of an endpoint, grouped")
    .argument("NAME")
    .option("--start-time <ms>", "from (milliseconds since epoch)")
    .option("--end-time <ms>", "until (milliseconds since epoch)")
    .addOption(new Option("--group-by <group>", "grouping").choices(["served_entity", "user", "day"]))
    .action(
      action(io, setExit, async (ctx, [name], o) => {
        const usage = await unwrap(
          ctx.client.GET("/api/2.0/serving-endpoints/{name}/usage", {
            params: {
              path: { name },
              query: {
                start_time: o.startTime as string | undefined,
                end_time: o.endTime as string | undefined,
                group_by: o.groupBy as "user" | "served_entity" | "day" | undefined,
              },
            },
          }),
        );
        ctx.print(usage, () =>
          formatTable(usage.usage, [
            { header: usage.group_by.toUpperCase(), value: (r) => r.group },
            { header: "REQUESTS", value: (r) => r.request_count },
            { header: "ERRORS", value: (r) => r.error_count },
            { header: "INPUT_TOKENS", value: (r) => r.input_tokens },
            { header: "OUTPUT_TOKENS", value: (r) => r.output_tokens },
            { header: "TOTAL_TOKENS", value: (r) => r.total_tokens },
          ]),
        );
        return EXIT.OK;
      }),
    );

  leaf("payload-logs", "the requests and responses an endpoint logged (inference tables)")
    .argument("NAME")
    .requiredOption("--start-time <ms>", "from (milliseconds since epoch)")
    .option("--end-time <ms>", "until (milliseconds since epoch)")
    .option("--max-results <n>", "at most this many records")
    .option("--page-token <token>", "the next_page_token of a previous call")
    .action(
      action(io, setExit, async (ctx, [name], o) => {
        const page = await unwrap(
          ctx.client.GET("/api/2.0/serving-endpoints/{name}/payload-logs", {
            params: {
              path: { name },
              query: {
                start_time: o.startTime as string,
                end_time: o.endTime as string | undefined,
                max_results: o.maxResults as string | undefined,
                page_token: o.pageToken as string | undefined,
              },
            },
          }),
        );
        ctx.print(page, () => {
          const table = formatTable(page.payload_logs, [
            { header: "TIME", value: (r) => formatTime(r.timestamp_ms) },
            { header: "REQUEST_ID", value: (r) => r.databricks_request_id },
            { header: "STATUS", value: (r) => r.status_code },
            { header: "MS", value: (r) => r.execution_duration_ms },
            { header: "REQUESTER", value: (r) => r.requester },
            { header: "REQUEST", value: (r) => truncate(r.request, 60) },
          ]);
          return page.next_page_token ? `${table}next page: --page-token ${page.next_page_token}\n` : table;
        });
        return EXIT.OK;
      }),
    );

  return group;
}

async function followDeployment(ctx: CommandContext, name: string, timeoutMinutes: string): Promise<ExitCode> {
  const minutes = Number(timeoutMinutes);
  if (!Number.isFinite(minutes) || minutes <= 0)
    throw new UsageError("--timeout must be a positive number of minutes.");
  const pollMs = Number(ctx.io.env.EDGESERVE_WAIT_POLL_MS) || 2000;
  const { exitCode, endpoint } = await waitForEndpoint(ctx.client, name, {
    timeoutMs: minutes * 60_000,
    pollMs,
    stderr: ctx.io.stderr,
  });
  ctx.print(endpoint, () => describeEndpoint(endpoint));
  return exitCode;
}

function getEndpoint(ctx: CommandContext, name: string): Promise<Endpoint> {
  return unwrap(ctx.client.GET("/api/2.0/serving-endpoints/{name}", { params: { path: { name } } }));
}

/** An endpoint for people: its state, then one row per served entity (the pending config's while updating). */
export function describeEndpoint(endpoint: Endpoint): string {
  const head = [
    `name:           ${endpoint.name}`,
    `id:             ${endpoint.id}`,
    `state:          ${endpoint.state.ready}, ${endpoint.state.config_update}`,
    `creator:        ${endpoint.creator}`,
    `created:        ${formatTime(endpoint.creation_timestamp)}`,
  ];
  const config = endpoint.pending_config ?? endpoint.config;
  const entities = formatTable(config?.served_entities ?? [], [
    { header: "SERVED_ENTITY", value: (e) => e.name },
    { header: "MODEL", value: (e) => e.external_model?.name ?? `${e.entity_name ?? ""} ${e.entity_version ?? ""}` },
    { header: "PROVIDER", value: (e) => e.external_model?.provider ?? "" },
    { header: "DEPLOYMENT", value: (e) => e.state?.deployment },
    { header: "MESSAGE", value: (e) => e.state?.deployment_state_message },
  ]);
  return `${head.join("\n")}\n\n${entities}`;
}

/** A query's answer for people: a chat or completions text as is, anything else as JSON. */
function describeAnswer(answer: unknown): string {
  const choice = (answer as { choices?: { message?: { content?: unknown }; text?: unknown }[] }).choices?.[0];
  const text = typeof choice?.message?.content === "string" ? choice.message.content : choice?.text;
  if (typeof text === "string") return `${text}\n`;
  return `${JSON.stringify(answer, null, 2)}\n`;
}

function describePermissions(permissions: Schemas["PermissionsResponse"]): string {
  type Entry = NonNullable<typeof permissions.access_control_list>[number];
  return formatTable(permissions.access_control_list ?? [], [
    { header: "PRINCIPAL", value: (a: Entry) => a.user_name ?? a.group_name ?? a.service_principal_name },
    {
      header: "PERMISSIONS",
      value: (a: Entry) =>
        (a.all_permissions ?? []).map((p) => `${p.permission_level}${p.inherited ? " (inherited)" : ""}`).join(", "),
    },
  ]);
}

function truncate(text: string | null, max: number): string {
  if (!text) return "";
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
