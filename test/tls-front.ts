/**
 * A local TLS reverse proxy in front of the stack. `@databricks/sdk-experimental` only speaks https,
 * so it gets `https://localhost:<port>` with a self-signed certificate (SAN localhost, 127.0.0.1, ::1)
 * and every request is streamed through to the plain-http stack unchanged.
 *
 * Trusting the certificate (checked against the SDK's dist/api-client.js and dist/fetch.js): the SDK
 * sends every request through its own `https.Agent`, never `https.globalAgent`, so setting
 * `https.globalAgent.options.ca` has no effect. Node merges the agent's options over the request's, so
 * the agent decides: the SDK's default agent uses `rejectUnauthorized: config.skipVerify === false`,
 * which means it accepts ANY certificate unless `skipVerify: false` is set explicitly.
 * Two ways that verify for real:
 *  - `new WorkspaceClient(config, { agent: databricksAgent(ca) })`: an agent that trusts this cert;
 *  - `skipVerify: false` plus NODE_EXTRA_CA_CERTS naming a bundle with the cert, set before the process
 *    starts (global setup does this, so the vitest workers it forks trust the cert).
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { generate } from "selfsigned";

export interface TlsFront {
  /** e.g. https://localhost:40125 */
  url: string;
  /** The self-signed certificate (PEM): pass as `ca` to trust it. */
  ca: string;
  /** Where the PEM was written (for NODE_EXTRA_CA_CERTS). */
  caFile: string;
  close(): Promise<void>;
}

export async function generateLocalhostCert() {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Starts the proxy on a free port of 127.0.0.1, forwarding to `target` (http://127.0.0.1:<port>). */
export async function startTlsFront({ target, dir }: { target: string; dir: string }): Promise<TlsFront> {
  const { key, cert } = await generateLocalhostCert();
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });

  const server = https.createServer({ key, cert }, (req, res) => {
    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, "x-forwarded-proto": "https" },
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
        up.pipe(res);
      },
    );
    proxied.on("error", (e) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: `TLS front: ${e.message}` }));
      } else res.destroy(e);
    });
    req.pipe(proxied);
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  fs.mkdirSync(dir, { recursive: true });
  const caFile = path.join(dir, "tls-front-ca.pem");
  fs.writeFileSync(caFile, cert);
  return {
    url: `https://localhost:${port}`,
    ca: cert,
    caFile,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An https.Agent that trusts the TLS front's certificate: give it to the Databricks SDK. */
export function databricksAgent(ca: string) {
  return new https.Agent({ ca, rejectUnauthorized: true, keepAlive: true });
}
