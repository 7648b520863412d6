/**
 * `bench:faults` items 7–9 (issue 9, "every call accounted for, through shutdowns and crashes"):
 * SIGTERM with calls in flight, PostgreSQL down with an unwritable spool, and kill -9 under load.
 * "Recorded" counts rows in llm_calls plus records left in spool segments (a later start replays
 * them); "answered" counts 200s the client received, matched by x-request-id.
 */
import fs from "node:fs";
import path from "node:path";
import { chat, countBy, fillUp, fmtCounts, isReset, ledgerRows, mountSmallTmpfs, paced, row, sleep, spooledLines, statusOf, type Ctx, type Res, type Row, type Scenario } from "./harness";
import type { World } from "./seed";

const GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 25_000);

function answeredIds(results: Res[]): string[] {
  return results.filter((r) => r.status === 200 && r.headers["x-request-id"]).map((r) => String(r.headers["x-request-id"]));
}

const s7: Scenario<World> = {
  item: 7,
  title: "SIGTERM with 40 calls in flight",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-slow7"]!;
    up.reset({ latencyMs: 500 });
    const spool = path.join(ctx.work, "spool-s7");
    const s = await ctx.startServer("s7", {}, spool);
    const key = w.keys.f7!;
    let stop = false;
    let inFlight = 0;
    let atSignal = 0;
    let signalAt = 0;
    const afterSignal: Res[] = [];
    let lastDone = 0;
    const all: Res[] = [];
    const worker = async () => {
      while (!stop) {
        inFlight += 1;
        const r = await chat(s.port, key, {}, { timeoutMs: GRACE_MS + 15_000 });
        inFlight -= 1;
        all.push(r);
        if (signalAt) {
          afterSignal.push(r); // no call starts after the signal: these were in flight
          lastDone = Date.now();
        }
      }
    };
    const workers = Array.from({ length: 40 }, worker);
    await sleep(2_500);
    stop = true;
    atSignal = inFlight;
    signalAt = Date.now();
    const exitP = s.stop("SIGTERM", GRACE_MS + 15_000);
    await Promise.all(workers);
    const lastAnswer = (lastDone || signalAt) - signalAt;
    const exit = await exitP;
    const exitMs = exit.at - signalAt;
    await sleep(500);
    const rows = await ledgerRows(ctx.db, w.orgs.f7!);
    const spooled = spooledLines(spool);
    const recorded = rows.length + spooled;
    const resets = afterSignal.filter(isReset).length;
    return [
      row(
        7,
        `SIGTERM with ${atSignal} calls in flight (500 ms upstream) → connections reset`,
        "0",
        `${resets} (in-flight outcomes ${fmtCounts(countBy(afterSignal, statusOf))})`,
        resets === 0 && afterSignal.every((r) => r.status === 200),
      ),
      row(
        7,
        "upstream attempts sent vs recorded (rows + spooled)",
        "all recorded",
        `${up.received} sent, ${recorded} recorded (${rows.length} rows, ${spooled} spooled), ${up.received - recorded} missing`,
        recorded >= up.received,
      ),
      row(
        7,
        "time from SIGTERM to exit vs the last in-flight answer",
        `exit after the drain, within SHUTDOWN_GRACE_MS (${GRACE_MS} ms)`,
        `exit ${(exitMs / 1000).toFixed(2)} s (${exit.forced ? "SIGKILLed" : exit.signal ? `by ${exit.signal}` : `code ${exit.code}`}), last in-flight answer ${(lastAnswer / 1000).toFixed(2)} s`,
        !exit.forced && exitMs >= lastAnswer - 50 && exitMs <= GRACE_MS + 5_000 && resets === 0,
      ),
    ];
  },
};

const s8: Scenario<World> = {
  item: 8,
  title: "PostgreSQL down + spool unwritable + SIGTERM",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-fast8"]!;
    up.reset();
    // Root ignores permission bits. A full file system stops root too: a 1 MiB tmpfs as the spool,
    // filled up once the server runs. Where mounting is not allowed, a regular file where the
    // spool's parent directory should be (every mkdir/open under it fails with ENOTDIR).
    const mount = path.join(ctx.work, "s8-tmpfs");
    let spool = path.join(mount, "spool");
    let how = "spool on a full 1 MiB tmpfs";
    if (!mountSmallTmpfs(mount)) {
      const blocker = path.join(ctx.work, "s8-not-a-directory");
      fs.writeFileSync(blocker, "a file where the spool directory's parent should be\n");
      spool = path.join(blocker, "spool");
      how = "spool path under a regular file (ENOTDIR)";
    }
    const s = await ctx.startServer("s8", {}, spool);
    const key = w.keys.f8!;
    const warm = await chat(s.port, key);
    await s.drained(10_000);
    if (how.includes("tmpfs")) fillUp(mount);
    const probe = (() => {
      try {
        fs.writeFileSync(path.join(how.includes("tmpfs") ? mount : spool, "probe"), "x");
        return "writable!";
      } catch (err) {
        return (err as NodeJS.ErrnoException).code ?? "unwritable";
      }
    })();
    await ctx.db.down();
    const downAt = Date.now();
    ctx.log("item 8: PostgreSQL stopped, 4 s of load at 10 connections");
    let stop = false;
    const results: Res[] = [];
    const worker = async () => {
      while (!stop) results.push(await chat(s.port, key, {}, { timeoutMs: 10_000 }));
    };
    const workers = Array.from({ length: 10 }, worker);
    await sleep(4_000);
    const health = await s.health();
    stop = true;
    await Promise.all(workers);
    const exit = await s.stop("SIGTERM", GRACE_MS + 15_000);
    ctx.db.up();
    const downFor = ((Date.now() - downAt) / 1000).toFixed(1);
    // The operator's recovery: the disk freed, the instance started again on the same spool
    // volume. Whatever reached the journal is replayed now; what is still missing was lost.
    if (how.includes("tmpfs")) fs.rmSync(path.join(mount, "filler"), { force: true });
    const again = await ctx.startServer("s8-restart", {}, spool);
    const replayed = await again.drained(30_000);
    await again.stop();
    const ids = answeredIds(results);
    const stored = new Set((await ledgerRows(ctx.db, w.orgs.f8!)).map((r) => r.request_id));
    const lost = ids.filter((id) => !stored.has(id)).length;
    const c = countBy(results, statusOf);
    const rec = health?.recorder as Record<string, number> | undefined;
    const readiness = health?.readiness as { status?: string; reason?: string } | undefined;
    const healthText = health
      ? `health ${String(health.status)}${readiness ? `, ${String(readiness.status)}${readiness.reason ? ` (${readiness.reason})` : ""}` : ""}, recorder ${JSON.stringify(rec ?? {})}`
      : "health unreachable";
    return [
      row(
        8,
        `PostgreSQL down ${downFor} s, ${how} (${probe}), SIGTERM; database back, disk freed, restart → answered calls vs records`,
        "0 lost",
        `${ids.length} answered, ${ids.length - lost} recorded, ${lost} lost (warm-up ${statusOf(warm)}; ${exit.forced ? "still running 40 s after SIGTERM: SIGKILLed" : `exit ${exit.code ?? exit.signal}`}; ${replayed ? "restart replayed the journal" : "restart did not drain in 30 s"})`,
        lost === 0,
      ),
      row(
        8,
        "calls while unaccountable → statuses; health during the outage",
        "503 (refused), health not ready",
        `${fmtCounts(c)}; ${healthText}`,
        (c["503"] ?? 0) > 0 && lost === 0,
      ),
    ];
  },
};

const s9: Scenario<World> = {
  item: 9,
  title: "kill -9 under ~100 req/s, 3 times",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-fast9"]!;
    up.reset();
    const spool = path.join(ctx.work, "spool-s9");
    const key = w.keys.f9!;
    const ids: string[] = [];
    const outcomes: Res[] = [];
    for (let round = 1; round <= 3; round++) {
      const s = await ctx.startServer(`s9-${round}`, {}, spool);
      let killed = false;
      const load = paced(100, 4_000, 50, () => chat(s.port, key, {}, { timeoutMs: 5_000 }), () => killed);
      await sleep(2_000);
      await s.kill();
      killed = true;
      const results = await load;
      outcomes.push(...results);
      ids.push(...answeredIds(results));
    }
    const s = await ctx.startServer("s9-final", {}, spool);
    const drained = await s.drained(30_000);
    await sleep(500);
    const stored = new Set((await ledgerRows(ctx.db, w.orgs.f9!)).map((r) => r.request_id));
    const lost = ids.filter((id) => !stored.has(id)).length;
    await s.stop();
    return [
      row(
        9,
        "kill -9 ×3 under 100 req/s, restart each time → answered 200s vs rows",
        "0 lost",
        `${ids.length} answered, ${ids.length - lost} recorded, ${lost} lost (${drained ? "spool replayed" : "spool not drained in 30 s"}; outcomes ${fmtCounts(countBy(outcomes, statusOf))})`,
        lost === 0 && ids.length > 0,
      ),
    ];
  },
};

export const DURABILITY_SCENARIOS = [s7, s8, s9];
