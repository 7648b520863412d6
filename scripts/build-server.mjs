// Bundles server.ts (and the gateway code it imports) into .next/llmcp-server.mjs for `npm start`.
// Packages stay external: they are loaded from node_modules at run time, as Next loads them.
import { build } from "esbuild";

await build({
  entryPoints: ["server.ts"],
  outfile: ".next/llmcp-server.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: "linked",
  logLevel: "warning",
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});
console.log("built .next/llmcp-server.mjs");
