// Image build step (Dockerfile, stage "build"): gathers into <out> only what the production server
// loads at run time, so the image stays lean (the full node_modules is ~750 MB, Next alone 300 MB):
//   - Next's standalone output (.next/standalone: the traced node_modules, server chunks, the SQL
//     files of outputFileTracingIncludes), plus .next/static and public, which it leaves out;
//   - .next/llmcp-server.mjs (`npm start`'s node:http server) and every file it loads, found with
//     the same tracer Next uses (@vercel/nft, shipped inside next);
//   - start.mjs (launcher) and healthcheck.mjs (the HEALTHCHECK).
// Usage (in the build stage, after `LLMCP_STANDALONE=1 npm run build`): node scripts/image/assemble.mjs /out
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = path.resolve(process.argv[2] ?? "");
if (!process.argv[2]) throw new Error("usage: node scripts/image/assemble.mjs <out-dir>");
const root = process.cwd();
const standalone = path.join(root, ".next/standalone");
if (!fs.existsSync(path.join(standalone, "server.js"))) {
  throw new Error(".next/standalone/server.js is missing: build with LLMCP_STANDALONE=1 (next.config.ts output: standalone)");
}
const server = path.join(root, ".next/llmcp-server.mjs");
if (!fs.existsSync(server)) throw new Error(".next/llmcp-server.mjs is missing: run `npm run build` first");

fs.rmSync(out, { recursive: true, force: true });
fs.cpSync(standalone, out, { recursive: true, verbatimSymlinks: true });
fs.rmSync(path.join(out, "server.js")); // Next's own server; ours is start.mjs -> .next/llmcp-server.mjs
fs.cpSync(path.join(root, ".next/static"), path.join(out, ".next/static"), { recursive: true });
if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(out, "public"), { recursive: true });
for (const f of ["llmcp-server.mjs", "llmcp-server.mjs.map"]) {
  if (fs.existsSync(path.join(root, ".next", f))) fs.copyFileSync(path.join(root, ".next", f), path.join(out, ".next", f));
}

// Files the node:http server loads that Next's trace did not already bring.
const { nodeFileTrace } = require("next/dist/compiled/@vercel/nft");
const { fileList, warnings } = await nodeFileTrace([server], {
  base: root,
  processCwd: root,
  // Never loaded by a production server: the compiler and dev tooling Next requires lazily.
  ignore: ["node_modules/@next/swc-*/**", "node_modules/typescript/**", "node_modules/next/dist/compiled/webpack/**", "node_modules/@esbuild/**", "node_modules/esbuild/**"],
});
let added = 0;
let addedBytes = 0;
for (const rel of [...fileList].sort()) {
  if (!rel.startsWith("node_modules/")) continue; // app files come from the standalone output
  const src = path.join(root, rel);
  const dst = path.join(out, rel);
  if (fs.existsSync(dst)) continue;
  const st = fs.lstatSync(src);
  if (st.isDirectory()) continue;
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
  else fs.copyFileSync(src, dst);
  added += 1;
  addedBytes += st.size;
}
for (const f of ["start.mjs", "healthcheck.mjs"]) fs.copyFileSync(path.join(root, "scripts/image", f), path.join(out, f));

const size = (dir) => {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += size(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
};
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
console.log(`assemble: ${out} ${mb(size(out))} (node_modules ${mb(size(path.join(out, "node_modules")))}); ` +
  `${added} files (${mb(addedBytes)}) added by tracing llmcp-server.mjs; ${[...warnings].length} trace warnings`);
