import type { NextConfig } from "next";

// The container image (Dockerfile) builds with LLMCP_STANDALONE=1: Next's standalone output holds
// only the files the server loads, and the type check is CI's (`npm run typecheck`). `npm run build`
// without it is unchanged (`npm start` runs .next/llmcp-server.mjs on the full node_modules).
const imageBuild = process.env.LLMCP_STANDALONE === "1";

const nextConfig: NextConfig = {
  ...(imageBuild ? { output: "standalone" as const, typescript: { ignoreBuildErrors: true } } : {}),
  // PGlite ships a WASM build of Postgres that must be loaded from node_modules at runtime,
  // not bundled; pg has optional native bindings that bundlers trip over.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "undici"],
  poweredByHeader: false,
  // `next dev` refuses its live-reload connection from origins it does not know; tests use 127.0.0.1.
  allowedDevOrigins: ["127.0.0.1"],
  // Lets several dev servers (or a dev server and a build) work in one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() / unauthorized() from next/navigation: the organization page answers 403 for
  // another organization's id (app/(scoped)/organizations/[id]).
  experimental: { authInterrupts: true },
  // SQL read at runtime by the migrator and the demo seed (file reads are not traced).
  outputFileTracingIncludes: {
    "/**": ["./supabase/migrations/*.sql", "./supabase/seed.sql", "./lib/db/sql/*.sql"],
  },
};

export default nextConfig;
