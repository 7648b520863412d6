import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { createTempPostgresDatabase, type DatabaseTarget } from "@/tests/helpers/databases";
import { waitFor } from "../recorder/helpers";

/** A gateway child process (server-child.ts) on its own database and spool, stopped by PID. */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CHILD = path.join(import.meta.dirname, "server-child.ts");
export const CHILD_KEY = "llmcp_test_child_key_0000000001";

export interface ChildWorld {
  port: number;
  spoolDir: string;
  proc: ChildProcess;
  stdout: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The child's database, opened by the test once the child is gone (PGlite allows one process). */
  openDb(): Promise<Database>;
  cleanup(): Promise<void>;
}

export async function startChild(target: DatabaseTarget, mode: "serve" | "noflush", upstream: string, env: Record<string, string> = {}): Promise<ChildWorld> {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-child-spool-"));
  let dbEnv: Record<string, string>;
  let openDb: () => Promise<Database>;
  let drop: () => Promise<void> = async () => undefined;
  if (target.name === "postgres") {
    const temp = await createTempPostgresDatabase(inject("pgAdminUrl"));
    dbEnv = { DATABASE_URL: temp.url, PGLITE_DATA_DIR: "" };
    openDb = () => openDatabase({ url: temp.url, mode: "server", poolMax: 2 });
    drop = temp.drop;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-child-pglite-"));
    dbEnv = { DATABASE_URL: "", PGLITE_DATA_DIR: dataDir };
    openDb = () => openDatabase({ dataDir });
    drop = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, mode, upstream], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env, ...dbEnv, RECORDER_SPOOL_DIR: spoolDir, DEMO_SEED: "false", NEXT_PUBLIC_SUPABASE_URL: "",
      NEXT_PUBLIC_SUPABASE_ANON_KEY: "", ...env,
    },
  });
  const stdout: string[] = [];
  let stderr = "";
  proc.stdout!.on("data", (c: Buffer) => stdout.push(...c.toString().split("\n").filter(Boolean)));
  proc.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const cleanup = async () => {
    if (!gone) {
      proc.kill("SIGKILL");
      await exited;
    }
    await drop();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => {
      if (gone) throw new Error(`child exited before ready: ${stderr.slice(-2000)}`);
      return stdout.some((l) => l.startsWith("ready "));
    }, 90_000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const port = Number(stdout.find((l) => l.startsWith("ready "))!.split(" ")[1]);
  return { port, spoolDir, proc, stdout, exited, openDb, cleanup };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A chat completion through the child; rejects on a reset or any transport error. */
export function chat(port: number, agent: http.Agent, stream = false, signal?: AbortSignal): Promise<Answer> {
  const body = JSON.stringify({ model: "auto", metadata: { action: "classify" }, stream, messages: [{ role: "user", content: "hi" }] });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: "/api/llm/v1/chat/completions", method: "POST", agent, signal,
        headers: { authorization: `Bearer ${CHILD_KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A raw connection: write requests, read everything until the server closes it. */
export function rawConnection(port: number): { write(text: string): void; text(): string; closed: Promise<string> } {
  const socket = net.connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (c: Buffer) => (text += c.toString()));
  const closed = new Promise<string>((resolve, reject) => {
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
  return { write: (t) => socket.write(t), text: () => text, closed };
}

export function rawChat(stream = false): string {
  const body = JSON.stringify({ model: "auto", metadata: { action: "classify" }, stream, messages: [{ role: "user", content: "hi" }] });
  return `POST /api/llm/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${CHILD_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Whether a new TCP connection is accepted. */
export function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
