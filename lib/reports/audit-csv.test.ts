import { describe, expect, it } from "vitest";
import type { ReadableEntry } from "@/lib/engine/audit-format";
import { AUDIT_CSV_HEADER, auditToCsv } from "./audit-csv";

const entry = (changes: ReadableEntry["changes"], over: Partial<ReadableEntry> = {}): ReadableEntry => ({
  id: 7, table: "api_keys", recordId: "k", at: "2026-12-07T14:03:05.000Z", when: "", actor: "gateway", actorIsUser: false,
  area: "API key", subject: "=cmd|' /C calc'!A0", action: "update", verb: "changed", organization: "Acme, Inc.", changes, ...over,
});

describe("audit CSV", () => {
  it("writes one line per changed field with exact values, ISO times in the zone, and no secret", () => {
    const csv = auditToCsv([
      entry([
        { field: "monthly_budget", label: "Monthly budget", before: "1000.00 EUR", after: "1234.567891 EUR", secret: false },
        { field: "key_hash", label: "Key", before: null, after: "changed", secret: true },
      ]),
      entry([], { id: 6, verb: "deleted", actor: "a@b.c", actorIsUser: true, organization: null, subject: "x" }),
    ], "Europe/Amsterdam");
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.trimEnd().split("\r\n")).toEqual([
      AUDIT_CSV_HEADER.join(","),
      `2026-12-07T15:03:05+01:00,Europe/Amsterdam,7,gateway,service,API key,'=cmd|' /C calc'!A0,"Acme, Inc.",changed,Monthly budget,1000.00 EUR,1234.567891 EUR`,
      `2026-12-07T15:03:05+01:00,Europe/Amsterdam,7,gateway,service,API key,'=cmd|' /C calc'!A0,"Acme, Inc.",changed,Key,,changed`,
      "2026-12-07T15:03:05+01:00,Europe/Amsterdam,6,a@b.c,user,API key,x,,deleted,,,",
    ]);
  });
});
