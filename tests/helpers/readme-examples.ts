import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";

/**
 * The README's gateway examples, as printed (issue 10, "Done when"): extracted from the section
 * "## Calling the gateway" and its subsections, and run against a test server through a recording
 * proxy, so whatever client an example uses (curl, an SDK in a script) the test sees every HTTP
 * exchange it made. Nothing here knows what an example should answer: the test checks every
 * exchange against the OpenAPI document and the ledger.
 */

/** The origin every example is written for; replaced by the test server's. */
export const README_ORIGIN = "http://localhost:3000";
const SECTION = "## Calling the gateway";
/** A visible opt-out, on the last non-blank line before the fence: `<!-- not-run: why -->`. */
const NOT_RUN = /^<!--\s*not-run:\s*(.+?)\s*-->$/;

export interface ReadmeExample {
  kind: "shell" | "script";
  /** The fence's language (bash, ts, …). */
  lang: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
  /** The nearest heading above it. */
  heading: string;
  code: string;
  /** Set when the README opts the block out (its reason). */
  notRun?: string;
}

const SHELL = new Set(["bash", "sh", "shell", "console"]);
const SCRIPT = new Set(["ts", "typescript", "js", "javascript", "mjs", "mts"]);

/** Every fenced block of the section that calls the gateway: curl for shell blocks, the origin for scripts. */
export function extractExamples(readme: string): ReadmeExample[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => l.trimEnd() === SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const examples: ReadmeExample[] = [];
  let heading = SECTION.slice(3);
  let lastText = "";
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^## /.test(line)) break;
    if (/^#{3,} /.test(line)) heading = line.replace(/^#+ /, "");
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim()) lastText = line.trim();
      continue;
    }
    const lang = (fence[1] ?? "").toLowerCase();
    const body: string[] = [];
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) body.push(lines[end++]!);
    const code = body.join("\n");
    const callsGateway = code.includes(`${README_ORIGIN}/api/llm`);
    const kind = SHELL.has(lang) && /\bcurl\b/.test(code) ? "shell" : SCRIPT.has(lang) ? "script" : undefined;
    if (kind && callsGateway) {
      const notRun = NOT_RUN.exec(lastText)?.[1];
      examples.push({ kind, lang, line: i + 1, heading, code, ...(notRun ? { notRun } : {}) });
    }
    i = end;
    lastText = "";
  }
  return examples;
}

/** The block as it is run: the origin replaced, and (shell) the `npm run dev` lines left out. */
export function runnableCode(example: ReadmeExample, origin: string): string {
  const lines = example.code.split("\n").filter((l) => example.kind !== "shell" || !/\bnpm run dev\b/.test(l));
  return lines.join("\n").replaceAll(README_ORIGIN, origin);
}

export interface Exchange {
  method: string;
  path: string;
  requestBody: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingProxy {
  origin: string;
  /** Exchanges completed since the last take(), in order of completion. */
  take(): Exchange[];
  close(): Promise<void>;
}

/** A loopback proxy to `target` that keeps every request and response it forwards. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  let done: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const sent: Buffer[] = [];
    req.on("data", (c: Buffer) => sent.push(c));
    req.on("end", () => {
      const requestBody = Buffer.concat(sent);
      const upstream = http.request(`${target}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const got: Buffer[] = [];
        answer.on("data", (c: Buffer) => {
          got.push(c);
          res.write(c);
        });
        answer.on("end", () => {
          done.push({
            method: req.method ?? "GET", path: (req.url ?? "/").split("?", 1)[0]!, requestBody: requestBody.toString("utf8"),
            status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(got).toString("utf8"),
          });
          res.end();
        });
      });
      upstream.on("error", (err) => res.destroy(err));
      upstream.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const taken = done;
      done = [];
      return taken;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one example in a child process with only `env` (plus PATH and HOME): a shell block with
 * bash (`-e -o pipefail`, so a failing command fails it), a script with tsx, from a temporary
 * directory whose node_modules links to the repository's (so `import OpenAI from "openai"` resolves).
 */
export async function runExample(example: ReadmeExample, origin: string, env: Record<string, string>): Promise<RunResult> {
  const code = runnableCode(example, origin);
  const childEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), ...env };
  if (example.kind === "shell") return run("bash", ["-e", "-o", "pipefail", "-c", code], childEnv);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-readme-example-"));
  try {
    fs.symlinkSync(path.join(process.cwd(), "node_modules"), path.join(dir, "node_modules"), "dir");
    const ext = example.lang.startsWith("t") || example.lang === "mts" ? "mts" : "mjs";
    const file = path.join(dir, `example.${ext}`);
    fs.writeFileSync(file, code);
    return await run(path.join(process.cwd(), "node_modules", ".bin", "tsx"), [file], childEnv, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(file: string, args: string[], env: Record<string, string>, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    // A bound, not an expectation: an example that hangs fails instead of stalling the suite.
    execFile(file, args, { env: env as NodeJS.ProcessEnv, cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ exitCode, stdout, stderr });
    });
  });
}
