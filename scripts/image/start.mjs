// Container entry point (CMD ["node", "/app/start.mjs"], under tini): starts .next/llmcp-server.mjs,
// the same server as `npm start`, from Next's standalone output. That output has no next.config.ts
// (loading it would need the TypeScript compiler), so the build's resolved configuration is handed
// to Next the way Next's own standalone server.js does it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
process.chdir(dir); // migrations, seed SQL and .next are found relative to the working directory
process.env.NODE_ENV = "production";
if (!process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) {
  const { config } = JSON.parse(fs.readFileSync(path.join(dir, ".next/required-server-files.json"), "utf8"));
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}
await import("./.next/llmcp-server.mjs");
