// The console's size as a browser downloads it: every file of dist (HTML, JS, CSS), gzip level 9 each.
// Printed by build.mjs; bench/ reads it too.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/**
 * @param {string} distDir
 * @returns {{ files: number, rawBytes: number, gzipBytes: number, firstLoadGzipBytes: number }}
 * firstLoadGzipBytes: index.html plus the JS and CSS it links (lazy chunks such as the Playground excluded).
 */
export function measureGzipSize(distDir) {
  const files = fs
    .readdirSync(distDir, { recursive: true })
    .map(String)
    .filter((f) => /\.(html|js|css|svg)$/.test(f));
  const gzipOf = (f) => zlib.gzipSync(fs.readFileSync(path.join(distDir, f)), { level: 9 }).length;
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    rawBytes += fs.statSync(path.join(distDir, f)).size;
    gzipBytes += gzipOf(f);
  }
  const html = fs.readFileSync(path.join(distDir, "index.html"), "utf8");
  const linked = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const firstLoadGzipBytes = gzipOf("index.html") + linked.reduce((sum, f) => sum + gzipOf(f), 0);
  return { files: files.length, rawBytes, gzipBytes, firstLoadGzipBytes };
}

/** @param {{ files: number, rawBytes: number, gzipBytes: number, firstLoadGzipBytes: number }} size */
export function describeSize(size) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  return (
    `${size.files} files, ${kib(size.rawBytes)} raw, ${kib(size.gzipBytes)} gzip ` +
    `(first load ${kib(size.firstLoadGzipBytes)} gzip)`
  );
}
