import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * The layers (README, "Layout"), enforced here so they hold as the code grows:
 *   floor 0, pure: lib/engine, lib/schemas, lib/env.ts, lib/errors.ts, lib/utils.ts — no I/O;
 *   floor 1: lib/db — every database query, importing only floor 0;
 *   above: lib/gateway, lib/providers, lib/auth, lib/actions, lib/reports, … and app/, which call
 *   lib/db functions but run no query of their own; components/, which render and never reach
 *   the database or the gateway at run time (a type of the rows they show is fine).
 * Tests, scripts and migrations are outside the rule.
 */
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];
const FLOOR_0 = ["lib/engine/**", "lib/schemas/**", "lib/env.ts", "lib/errors.ts", "lib/utils.ts"];
const IO_MODULES = ["fs", "node:fs", "fs/*", "node:fs/*", "net", "node:net", "http", "node:http", "https", "node:https", "child_process", "node:child_process", "pg", "kysely", "@electric-sql/*", "undici", "next", "next/*", "react", "server-only"];
const QUERIES_IN_LIB_DB =
  "Queries live in lib/db: call (or add) a function there. Outside lib/db, kysely is imported as types only.";

const floor0Imports = {
  patterns: [
    { regex: "^@/(?!lib/(engine|schemas)(/|$)|lib/errors$)", message: "Floor 0 (lib/engine, lib/schemas) imports only floor 0." },
    { regex: "^\\.\\./", message: "Floor 0 imports only floor 0: use @/lib/engine/… or @/lib/schemas/…." },
    { group: IO_MODULES, message: "Floor 0 is pure: no I/O, no framework." },
  ],
};

const dbImports = {
  patterns: [
    {
      regex: "^@/(?!lib/(db|engine|schemas)(/|$)|lib/(env|errors)$)|^\\.\\./\\.\\./",
      message: "lib/db is floor 1: it imports only lib/db, lib/engine, lib/schemas, lib/env and lib/errors. Move what it needs down.",
    },
  ],
};

const aboveImports = {
  paths: [{ name: "kysely", message: QUERIES_IN_LIB_DB, allowTypeImports: true }],
};

const componentImports = {
  paths: aboveImports.paths,
  patterns: [
    { group: ["@/lib/db", "@/lib/db/**", "@/lib/gateway", "@/lib/gateway/**"], allowTypeImports: true, message: "Components never reach the database or the gateway at run time: the page passes data in (import type is fine)." },
  ],
};

const querySyntax = [
  "error",
  {
    selector: "CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]",
    message: QUERIES_IN_LIB_DB,
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".data/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "e2e/.artifacts/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: FLOOR_0, ignores: TESTS, rules: { "@typescript-eslint/no-restricted-imports": ["error", floor0Imports] } },
  { files: ["lib/db/**"], ignores: TESTS, rules: { "@typescript-eslint/no-restricted-imports": ["error", dbImports] } },
  {
    files: ["lib/**", "app/**", "server.ts"],
    ignores: [...TESTS, ...FLOOR_0, "lib/db/**"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", aboveImports], "no-restricted-syntax": querySyntax },
  },
  {
    files: ["components/**"],
    ignores: TESTS,
    rules: { "@typescript-eslint/no-restricted-imports": ["error", componentImports], "no-restricted-syntax": querySyntax },
  },
];

export default config;
