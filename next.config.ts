import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
  // SQL read at runtime by the migrator and the demo seed (file reads are not traced).
  outputFileTracingIncludes: {
    "/**": ["./supabase/migrations/*.sql", "./supabase/seed.sql", "./lib/db/sql/*.sql"],
  },
};

export default nextConfig;
