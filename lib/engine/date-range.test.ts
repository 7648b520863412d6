import { describe, expect, it } from "vitest";
import {
  bucketsOf, dayIn, granularityOf, isTimeZone, offsetMinutes, rangeInstants, resolvePreset, startOfDay, timeZoneFrom,
} from "./date-range";

const AMS = "Europe/Amsterdam";

describe("time zones", () => {
  it("accepts IANA names Intl knows and refuses the rest", () => {
    expect(isTimeZone("Europe/Amsterdam")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Amsterdm")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(isTimeZone(5)).toBe(false);
    expect(timeZoneFrom("Mars/Olympus")).toBe("UTC");
  });

  it("knows Amsterdam's offset on both sides of DST", () => {
    expect(offsetMinutes(AMS, new Date("2026-01-15T12:00:00Z"))).toBe(60);
    expect(offsetMinutes(AMS, new Date("2026-07-15T12:00:00Z"))).toBe(120);
  });

  it("starts a local day at local midnight, also on the DST change days", () => {
    expect(startOfDay("2026-01-15", AMS).toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(startOfDay("2026-07-15", AMS).toISOString()).toBe("2026-07-14T22:00:00.000Z");
    // 2026-03-29: clocks go 02:00 → 03:00, the day lasts 23 h.
    const spring = rangeInstants({ from: "2026-03-29", to: "2026-03-29" }, AMS);
    expect(spring.start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    // 2026-10-25: clocks go 03:00 → 02:00, the day lasts 25 h.
    const autumn = rangeInstants({ from: "2026-10-25", to: "2026-10-25" }, AMS);
    expect(autumn.start.toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
    expect(startOfDay("2026-03-29", "UTC").toISOString()).toBe("2026-03-29T00:00:00.000Z");
  });

  it("tells the zone's day at an instant", () => {
    expect(dayIn("UTC", new Date("2026-05-31T22:30:00Z"))).toBe("2026-05-31");
    expect(dayIn(AMS, new Date("2026-05-31T22:30:00Z"))).toBe("2026-06-01");
    expect(dayIn("America/New_York", new Date("2026-06-01T02:00:00Z"))).toBe("2026-05-31");
  });
});

describe("presets", () => {
  it("resolves every preset in UTC in the middle of a month", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(resolvePreset("today", "UTC", now)).toEqual({ from: "2026-12-07", to: "2026-12-07" });
    expect(resolvePreset("yesterday", "UTC", now)).toEqual({ from: "2026-12-06", to: "2026-12-06" });
    expect(resolvePreset("last_7_days", "UTC", now)).toEqual({ from: "2026-12-01", to: "2026-12-07" });
    expect(resolvePreset("last_30_days", "UTC", now)).toEqual({ from: "2026-11-08", to: "2026-12-07" });
    expect(resolvePreset("this_month", "UTC", now)).toEqual({ from: "2026-12-01", to: "2026-12-07" });
    expect(resolvePreset("last_month", "UTC", now)).toEqual({ from: "2026-11-01", to: "2026-11-30" });
  });

  it("uses the zone's day at a month end: 22:30 UTC on 31 May is 1 June in Amsterdam", () => {
    const now = new Date("2026-05-31T22:30:00Z");
    expect(resolvePreset("this_month", "UTC", now)).toEqual({ from: "2026-05-01", to: "2026-05-31" });
    expect(resolvePreset("last_month", "UTC", now)).toEqual({ from: "2026-04-01", to: "2026-04-30" });
    expect(resolvePreset("this_month", AMS, now)).toEqual({ from: "2026-06-01", to: "2026-06-01" });
    expect(resolvePreset("last_month", AMS, now)).toEqual({ from: "2026-05-01", to: "2026-05-31" });
    expect(resolvePreset("yesterday", AMS, now)).toEqual({ from: "2026-05-31", to: "2026-05-31" });
  });

  it("handles February, leap years and the new year", () => {
    expect(resolvePreset("last_month", "UTC", new Date("2028-03-01T00:00:00Z"))).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(resolvePreset("last_month", "UTC", new Date("2027-03-15T00:00:00Z"))).toEqual({ from: "2027-02-01", to: "2027-02-28" });
    expect(resolvePreset("last_month", AMS, new Date("2026-12-31T23:30:00Z"))).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(resolvePreset("last_7_days", "UTC", new Date("2027-01-03T12:00:00Z"))).toEqual({ from: "2026-12-28", to: "2027-01-03" });
  });

  it("resolves across the DST change in Amsterdam by calendar days", () => {
    // 00:30 local on 30 March (summer time) is 22:30 UTC on 29 March.
    const now = new Date("2026-03-29T22:30:00Z");
    expect(resolvePreset("today", AMS, now)).toEqual({ from: "2026-03-30", to: "2026-03-30" });
    expect(resolvePreset("yesterday", AMS, now)).toEqual({ from: "2026-03-29", to: "2026-03-29" });
    expect(resolvePreset("last_7_days", AMS, now)).toEqual({ from: "2026-03-24", to: "2026-03-30" });
    expect(resolvePreset("today", "UTC", now)).toEqual({ from: "2026-03-29", to: "2026-03-29" });
    // 23:30 local on 25 October (winter time again) is 22:30 UTC the same day.
    expect(resolvePreset("today", AMS, new Date("2026-10-25T22:30:00Z"))).toEqual({ from: "2026-10-25", to: "2026-10-25" });
  });
});

describe("granularity", () => {
  it("shows up to 93 days by day and longer ranges by month", () => {
    expect(granularityOf({ from: "2026-01-01", to: "2026-04-03" })).toBe("day"); // 93 days
    expect(granularityOf({ from: "2026-01-01", to: "2026-04-04" })).toBe("month");
    expect(bucketsOf({ from: "2026-02-27", to: "2026-03-02" })).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    const months = bucketsOf({ from: "2025-11-15", to: "2026-12-19" });
    expect(months[0]).toBe("2025-11");
    expect(months.at(-1)).toBe("2026-12");
    expect(months).toHaveLength(14);
  });
});

describe("which ranges the UTC-day rollups can answer", () => {
  it("is every range in UTC, London's winter, and no range in Amsterdam", async () => {
    const { hasUtcDays } = await import("./date-range");
    expect(hasUtcDays("UTC", { from: "2022-01-01", to: "2026-12-31" })).toBe(true);
    expect(hasUtcDays("Etc/UTC", { from: "2026-06-01", to: "2026-06-30" })).toBe(true);
    expect(hasUtcDays("Europe/London", { from: "2026-01-01", to: "2026-02-28" })).toBe(true);
    expect(hasUtcDays("Europe/London", { from: "2025-11-01", to: "2027-01-31" })).toBe(false);
    expect(hasUtcDays("Europe/London", { from: "2026-03-01", to: "2026-03-31" })).toBe(false);
    expect(hasUtcDays(AMS, { from: "2026-01-01", to: "2026-01-01" })).toBe(false);
  });
});

describe("which ranges the UTC-hour rollups can answer", () => {
  it("is whole-hour zones across DST, not half-hour ones", async () => {
    const { hasWholeHourDays } = await import("./date-range");
    expect(hasWholeHourDays(AMS, { from: "2026-01-01", to: "2026-12-31" })).toBe(true);
    expect(hasWholeHourDays("America/New_York", { from: "2026-03-01", to: "2026-03-31" })).toBe(true);
    expect(hasWholeHourDays("Asia/Kolkata", { from: "2026-03-01", to: "2026-03-01" })).toBe(false);
    expect(hasWholeHourDays("Asia/Kathmandu", { from: "2026-03-01", to: "2026-03-31" })).toBe(false);
  });
});
