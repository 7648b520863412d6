import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "./classify";
import { spoolDirFromEnv } from "./instance";
import { deserialize, serialize, toRow, type CallRecord } from "./record";
import { Spool } from "./spool";

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("classifyFailure", () => {
  it.each([
    ["ECONNREFUSED", coded("ECONNREFUSED"), "connection"],
    ["admin shutdown 57P01", coded("57P01"), "connection"],
    ["connection exception 08006", coded("08006"), "connection"],
    ["too many connections", coded("53300"), "connection"],
    ["pool timeout", new Error("timeout exceeded when trying to connect"), "connection"],
    ["socket end", new Error("Connection terminated unexpectedly"), "connection"],
    ["PGlite closed", new Error("PGlite is closed"), "connection"],
    ["Kysely destroyed", new Error("driver has already been destroyed"), "connection"],
    ["dual-stack refusal", new AggregateError([coded("ECONNREFUSED")]), "connection"],
    ["CHECK violation", coded("23514", 'new row violates check constraint "llm_calls_status_check"'), "data"],
    ["bad uuid", coded("22P02"), "data"],
    ["value too large for an index", coded("54000"), "data"],
    ["circular JSON", new TypeError("Converting circular structure to JSON"), "data"],
    ["no partition", coded("23514", 'no partition of relation "llm_calls" found for row'), "partition"],
    ["missing table", coded("42P01"), "systemic"],
    ["permission denied", coded("42501"), "systemic"],
    ["anything else", new Error("surprise"), "systemic"],
  ])("%s → %s", (_name, err, kind) => {
    expect(classifyFailure(err)).toBe(kind);
  });
});

describe("spool lines", () => {
  const record: CallRecord = { request_id: "00000000-0000-4000-a000-000000000001", attempt: 2, created_at: new Date("2026-11-24T10:11:12.345Z"), status: "ok", cost: "0.000000000001" };

  it("round-trips a record, Dates included, and keeps a microsecond timestamp as its string", () => {
    expect(deserialize(serialize(record))).toEqual(record);
    const micro = { ...record, created_at: "2026-11-24T10:11:12.345678Z" };
    expect(deserialize(serialize(micro))).toEqual(micro);
  });

  it("explains lines it cannot use instead of throwing", () => {
    expect(deserialize('{"request_id": "0000')).toHaveProperty("invalid");
    expect(deserialize("[1]")).toEqual({ invalid: "not an object" });
    expect(deserialize('{"request_id":"a"}')).toEqual({ invalid: "missing request_id, attempt or created_at" });
  });

  it("keeps only real columns", () => {
    const row = toRow({ ...record, extra: 1, record_complete: true } as CallRecord);
    expect(Object.keys(row).sort()).toEqual(["attempt", "cost", "created_at", "request_id", "status"]);
  });
});

describe("Spool", () => {
  const rec = (n: number): CallRecord => ({ request_id: `00000000-0000-4000-a000-${String(n).padStart(12, "0")}`, attempt: 1, created_at: new Date(), status: "ok" });
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-spool-unit-"));

  it("rotates segments at the size limit and hands them out oldest first", async () => {
    const dir = tmp();
    const spool = new Spool(dir, 1_000);
    for (let i = 0; i < 20; i++) await spool.append([rec(i)]);
    await spool.close();
    const files = fs.readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(2);
    expect(spool.records()).toBe(20);
    const first = await spool.next();
    expect(first).toBe(files[0]);
    expect((await spool.read(first!)).records[0]!.request_id).toBe(rec(0).request_id);
    fs.rmSync(dir, { recursive: true });
  });

  it("adopts the open segment of a process that is gone, but not one of a live process", async () => {
    const dir = tmp();
    const line = `${serialize(rec(1))}\n`;
    fs.writeFileSync(path.join(dir, "seg-000000000000001-000000-999999999-aaaaaaaa.jsonl.open"), line);
    fs.writeFileSync(path.join(dir, `seg-000000000000002-000000-${process.ppid}-bbbbbbbb.jsonl.open`), line);
    const spool = new Spool(dir);
    await spool.ready;
    expect(spool.records()).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([
      "seg-000000000000001-000000-999999999-aaaaaaaa.jsonl",
      `seg-000000000000002-000000-${process.ppid}-bbbbbbbb.jsonl.open`,
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it("writes queued appends synchronously at exit (rescueSync)", async () => {
    const dir = tmp();
    const spool = new Spool(dir);
    await spool.ready;
    void spool.append([rec(1), rec(2)]).catch(() => undefined);
    expect(spool.rescueSync([rec(3)])).toBe(3);
    expect(spool.records()).toBe(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("spoolDirFromEnv", () => {
  it("prefers RECORDER_SPOOL_DIR, then /tmp on Vercel, then .data/spool", () => {
    expect(spoolDirFromEnv({ RECORDER_SPOOL_DIR: "/var/spool/llm" })).toBe("/var/spool/llm");
    expect(spoolDirFromEnv({ VERCEL: "1" })).toBe(path.join(os.tmpdir(), "llmcp-spool"));
    expect(spoolDirFromEnv({ RECORDER_SPOOL_DIR: "" })).toBe(path.resolve(".data/spool"));
  });
});
