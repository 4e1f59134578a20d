import { unwrap } from "@edgeserve/sdk";
import { Command } from "commander";
import { action, type CliIo, withGlobalOptions } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit-codes";
import { formatTable, formatTime } from "../io/output";

/** `edgeserve secrets …`: secret scopes and secrets (values are write-only, as on Databricks). */
export function secretsCommand(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const group = new Command("secrets").description("secret scopes and the secrets endpoints reference");
  const leaf = (name: string, description: string) => withGlobalOptions(group.command(name).description(description));

  leaf("create-scope", "create a secret scope")
    .argument("SCOPE")
    .action(
      action(io, setExit, async (ctx, [scope]) => {
        await unwrap(ctx.client.POST("/api/2.0/secrets/scopes/create", { body: { scope } }));
        ctx.print({ scope }, () => `Created scope ${scope}.\n`);
        return EXIT.OK;
      }),
    );

  leaf("list-scopes", "list secret scopes").action(
    action(io, setExit, async (ctx) => {
      const { scopes = [] } = await unwrap(ctx.client.GET("/api/2.0/secrets/scopes/list"));
      ctx.print({ scopes }, () => formatTable(scopes, [{ header: "SCOPE", value: (s) => s.name }]));
      return EXIT.OK;
    }),
  );

  leaf("delete-scope", "delete a secret scope and its secrets")
    .argument("SCOPE")
    .action(
      action(io, setExit, async (ctx, [scope]) => {
        await unwrap(ctx.client.POST("/api/2.0/secrets/scopes/delete", { body: { scope } }));
        ctx.print({ scope }, () => `Deleted scope ${scope}.\n`);
        return EXIT.OK;
      }),
    );

  leaf("put-secret", "store a secret (the value from --string-value, --bytes-value, or stdin)")
    .argument("SCOPE")
    .argument("KEY")
    .option("--string-value <value>", "the secret as text (visible in your shell history: prefer stdin)")
    .option("--bytes-value <base64>", "the secret as base64-encoded bytes")
    .action(
      action(io, setExit, async (ctx, [scope, key], options) => {
        const given = [options.stringValue, options.bytesValue].filter((v) => v !== undefined);
        if (given.length > 1) throw new UsageError("give one of --string-value and --bytes-value.");
        const value =
          options.bytesValue !== undefined
            ? { bytes_value: options.bytesValue as string }
            : { string_value: (options.stringValue as string | undefined) ?? (await readSecretFromStdin(ctx.io)) };
        await unwrap(ctx.client.POST("/api/2.0/secrets/put", { body: { scope, key, ...value } }));
        ctx.print({ scope, key }, () => `Stored ${scope}/${key}.\n`);
        return EXIT.OK;
      }),
    );

  leaf("list-secrets", "list a scope's secret keys (never their values)")
    .argument("SCOPE")
    .action(
      action(io, setExit, async (ctx, [scope]) => {
        const { secrets = [] } = await unwrap(
          ctx.client.GET("/api/2.0/secrets/list", { params: { query: { scope } } }),
        );
        ctx.print({ secrets }, () =>
          formatTable(secrets, [
            { header: "KEY", value: (s) => s.key },
            { header: "LAST_UPDATED", value: (s) => formatTime(s.last_updated_timestamp) },
          ]),
        );
        return EXIT.OK;
      }),
    );

  leaf("delete-secret", "delete a secret")
    .argument("SCOPE")
    .argument("KEY")
    .action(
      action(io, setExit, async (ctx, [scope, key]) => {
        await unwrap(ctx.client.POST("/api/2.0/secrets/delete", { body: { scope, key } }));
        ctx.print({ scope, key }, () => `Deleted ${scope}/${key}.\n`);
        return EXIT.OK;
      }),
    );

  return group;
}

/**
 * The secret from stdin when it is piped (`printf %s "$KEY" | edgeserve secrets put-secret s k`), so it never
 * appears in the process list or shell history. A terminal on stdin is refused rather than echoing a prompt.
 */
async function readSecretFromStdin(io: CliIo): Promise<string> {
  if (io.stdin.isTTY)
    throw new UsageError("give the secret with --string-value, --bytes-value, or on stdin (pipe it in).");
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const value = Buffer.concat(chunks).toString("utf8");
  if (value === "") throw new UsageError("stdin was empty: no secret to store.");
  return value;
}
