import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import { shutdownDb } from "@/lib/db/instance";
import { startRepriceJob } from "@/lib/db/reprice-jobs";
import { serviceDb } from "@/lib/db/service";
import { resetEnvCache } from "@/lib/env";
import { handleCronReprice, handleLatestRepriceJob, handleRepriceJobStatus, type SessionGetter } from "@/lib/http/reprice";
import { pointAppAtFreshDatabase } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/** The job status routes (under RLS) and the cron route (behind CRON_SECRET), through their handlers. */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const SECRET = "reprice-cron-secret-0123456789";

const as = (user: FixtureUser): SessionGetter => async () =>
  ({ id: ids.users[user], email: `${user}@rls.test`, claims: claimsFor(user), memberships: [], isPlatformAdmin: user === "platformAdmin" }) satisfies SessionUser;
const nobody: SessionGetter = async () => null;
const cron = (authorization?: string) =>
  handleCronReprice(new Request("http://localhost/api/cron/reprice", { headers: authorization ? { authorization } : {} }), 30_000);

describe.each(targets)("reprice routes on $name", (target) => {
  let dropTemp: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    vi.stubEnv("DEMO_SEED", "false");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    vi.stubEnv("CRON_SECRET", SECRET);
    dropTemp = await pointAppAtFreshDatabase(target.name === "postgres" ? target.adminUrl : undefined);
    resetEnvCache();
    await createFixtureWorld(await serviceDb());
  });
  afterAll(async () => {
    await shutdownDb();
    await dropTemp?.();
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it.each([
    ["status without a session", () => handleRepriceJobStatus(ids.repriceJob, nobody), 401],
    ["status with a bad id", () => handleRepriceJobStatus("not-a-uuid", as("platformAdmin")), 400],
    ["status of a job RLS hides from an org admin", () => handleRepriceJobStatus(ids.repriceJob, as("adminA")), 404],
    ["status of an unknown job", () => handleRepriceJobStatus("19000000-0000-4000-8000-0000000000ff", as("platformAdmin")), 404],
    ["latest without a session", () => handleLatestRepriceJob(nobody), 401],
    ["cron without the secret", () => cron(), 401],
    ["cron with a wrong secret", () => cron("Bearer reprice-cron-secret-0123456788"), 401],
  ])("%s → %i with a JSON error", async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error?: { type: string; message: string } };
    expect(body.error?.type).toBeTruthy();
    expect(body.error?.message).toBeTruthy();
  });

  it("a platform admin reads a job's status; others see no latest job", async () => {
    const res = await handleRepriceJobStatus(ids.repriceJob, as("platformAdmin"));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ job: { id: ids.repriceJob, status: "done" } });
    expect(await (await handleLatestRepriceJob(as("financeA"))).json()).toEqual({ job: null });
  });

  it("the cron route works a queued job to the end, then has nothing to do", async () => {
    const { job } = await startRepriceJob(await serviceDb(), { requestedBy: null, modelIds: null, trigger: "manual" });
    const first = await cron(`Bearer ${SECRET}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ jobId: job.id, outcome: "done" });
    expect(await (await cron(`Bearer ${SECRET}`)).json()).toEqual({ jobId: null, outcome: "idle" });
    const latest = (await (await handleLatestRepriceJob(as("platformAdmin"))).json()) as { job: { id: string; status: string } };
    expect(latest.job).toMatchObject({ id: job.id, status: "done" });
  });
});
