import { describe, expect, it } from "vitest";
import { tablesMatchingLabel } from "./audit-areas";
import { auditActor, exactAmount, formatAuditTime, isoInZone, readableChanges, readableEntry, type AuditRowInput, type NameMaps } from "./audit-format";

const names: NameMaps = {
  organization: { "00000000-0000-0000-0000-00000000000a": "Org A" },
  app: { "00000000-0000-0000-0000-0000000000a1": "Support bot" },
  model: { "00000000-0000-0000-0000-0000000000b1": "GPT large", "00000000-0000-0000-0000-0000000000b2": "GPT small" },
  provider: {},
  user: { "00000000-0000-0000-0000-0000000000c1": "ann@example.com" },
};
const [ORG, APP, M1, M2, USER] = [
  "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-0000000000a1",
  "00000000-0000-0000-0000-0000000000b1", "00000000-0000-0000-0000-0000000000b2", "00000000-0000-0000-0000-0000000000c1",
];
const GONE = "00000000-0000-0000-0000-0000000000ff";

function row(partial: Partial<AuditRowInput>): AuditRowInput {
  return {
    id: 1, createdAt: new Date("2026-12-07T14:03:05.123Z"), actorEmail: null, actorRole: "service", table: "llm_configurations",
    recordId: "r1", organizationId: null, action: "update", before: null, after: null, ...partial,
  };
}

describe("audit formatting", () => {
  it("lists only the changed fields of an update, labelled, with names instead of ids", () => {
    const before = { id: "r1", app_id: APP, action_type: "summarize", model_id: M1, fallback_model_ids: "[]", priority: "100", updated_at: "x" };
    const after = { ...before, model_id: M2, fallback_model_ids: `["${M1}"]`, priority: "200", updated_at: "y" };
    expect(readableChanges(row({ before, after }), names)).toEqual([
      { field: "model_id", label: "Model", before: "GPT large", after: "GPT small", secret: false },
      { field: "fallback_model_ids", label: "Fallback models", before: "none", after: "GPT large", secret: false },
      { field: "priority", label: "Priority", before: "100", after: "200", secret: false },
    ]);
  });

  it("keeps money exact with its currency and treats 0.80 and 0.80000000 as the same price", () => {
    expect(exactAmount("0.80000000")).toBe("0.80");
    expect(exactAmount("0.000000123456789012345678")).toBe("0.000000123456789012345678");
    expect(exactAmount("12")).toBe("12.00");
    const changes = readableChanges(row({
      table: "model_prices", action: "update",
      before: { model_id: M1, currency: "EUR", input_per_mtok: "0.80", output_per_mtok: "0.000125000" },
      after: { model_id: M1, currency: "EUR", input_per_mtok: "0.80000000", output_per_mtok: "0.000125001" },
    }), names);
    expect(changes).toEqual([{ field: "output_per_mtok", label: "Output / 1M tokens", before: "0.000125 EUR", after: "0.000125001 EUR", secret: false }]);
    const budget = readableEntry(row({ table: "organizations", recordId: ORG, before: { name: "Org A", monthly_budget: null, budget_currency: "EUR" }, after: { name: "Org A", monthly_budget: "1500.50", budget_currency: "EUR" } }), names);
    expect(budget).toMatchObject({ area: "Budget", subject: "Org A", changes: [{ label: "Monthly budget", before: null, after: "1500.50 EUR" }] });
  });

  it("never shows a secret, only that it changed", () => {
    const changes = readableChanges(row({ table: "api_keys", before: { name: "k", key_hash: "aaa" }, after: { name: "k", key_hash: "bbb" } }), names);
    expect(changes).toEqual([{ field: "key_hash", label: "Key", before: null, after: "changed", secret: true }]);
    expect(JSON.stringify(readableChanges(row({ table: "unknown_table", action: "insert", after: { api_token: "t0ps3cret", label: "x" } }), names))).not.toContain("t0ps3cret");
  });

  it("names who made the change: the email, else the job or the system", () => {
    expect(auditActor("ann@example.com", "authenticated", "apps")).toEqual({ label: "ann@example.com", isUser: true });
    expect(auditActor(null, "service", "learning_overrides").label).toBe("learning job");
    expect(auditActor(null, "service", "llm_calls").label).toBe("retention job");
    expect(auditActor(null, "service", "llm_configurations").label).toBe("system");
  });

  it("reads an entry: area, subject from the row's last values, organization name, one time format", () => {
    const entry = readableEntry(row({
      action: "delete", organizationId: ORG, actorEmail: "ann@example.com", actorRole: "authenticated",
      before: { app_id: APP, organization_id: ORG, action_type: "summarize", model_id: GONE, priority: "200", enabled: "true" },
    }), names);
    expect(entry).toMatchObject({
      area: "Routing rule", subject: "Support bot · summarize", verb: "deleted", organization: "Org A",
      actor: "ann@example.com", when: "2026-12-07 14:03:05 UTC", at: "2026-12-07T14:03:05.123Z",
    });
    expect(entry.changes.find((c) => c.field === "model_id")?.before).toBe("deleted model (00000000)");
    expect(entry.changes.find((c) => c.field === "enabled")).toMatchObject({ label: "Enabled", before: "yes", after: null });
    expect(readableEntry(row({ table: "memberships", action: "insert", after: { user_id: USER, role: "admin" } }), names).subject).toBe("ann@example.com");
    expect(readableEntry(row({ table: "apps", action: "delete", before: {} }), names).subject).toBe("deleted app");
    expect(formatAuditTime("2026-01-02T03:04:05+00:00")).toBe("2026-01-02 03:04:05 UTC");
  });

  it("shows parameters and lists readably", () => {
    const changes = readableChanges(row({ action: "insert", after: { params: '{"max_tokens": 1024, "temperature": 0.2}', fallback_model_ids: "[]" } }), names);
    expect(changes.map((c) => c.after)).toEqual(["none", "max_tokens: 1024, temperature: 0.2"]);
    expect(readableChanges(row({ table: "api_keys", action: "insert", after: { scopes: '["llm", "admin"]' } }), names)[0]?.after).toBe("llm, admin");
    expect(readableChanges(row({ table: "app_configuration", action: "insert", after: { value: "{not json" } }), names)[0]?.after).toBe("{not json");
  });

  it("an insert lists its set fields, a delete its last values", () => {
    const inserted = readableChanges(row({ table: "apps", action: "insert", after: { id: "x", name: "Bot", code: "bot", description: null } }), names);
    expect(inserted.map((c) => [c.label, c.before, c.after])).toEqual([["Name", null, "Bot"], ["Code", null, "bot"]]);
  });

  it("maps search text to the areas whose label contains it", () => {
    expect(tablesMatchingLabel("routing")).toEqual(["llm_configurations"]);
    expect(tablesMatchingLabel("  ")).toEqual([]);
  });

  it("names a service writer that named itself, and shows times in the reporting time zone", () => {
    expect(auditActor(null, "service", "learning_overrides", "gateway")).toEqual({ label: "gateway", isUser: false });
    expect(auditActor(null, "service", "learning_overrides", "job:retrain")).toEqual({ label: "job: retrain", isUser: false });
    expect(auditActor(null, "service", "learning_overrides", null)).toEqual({ label: "learning job", isUser: false });
    expect(auditActor("a@b.c", "authenticated", "apps", "gateway")).toEqual({ label: "a@b.c", isUser: true });
    const winter = new Date("2026-12-07T14:03:05Z");
    expect(formatAuditTime(winter, "Europe/Amsterdam")).toBe("2026-12-07 15:03:05 Europe/Amsterdam");
    expect(isoInZone(winter, "Europe/Amsterdam")).toBe("2026-12-07T15:03:05+01:00");
    expect(isoInZone(new Date("2026-07-01T00:30:00Z"), "America/New_York")).toBe("2026-06-30T20:30:00-04:00");
    expect(isoInZone(winter, "Asia/Kathmandu")).toBe("2026-12-07T19:48:05+05:45");
    expect(isoInZone(winter)).toBe("2026-12-07T14:03:05+00:00");
  });
});
