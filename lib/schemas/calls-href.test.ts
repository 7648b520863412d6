import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, filtersToSearch, parseCallFilters, withDefaultRange } from "./call-filters";
import { NOT_RECORDED, callsHref, monthRange } from "./calls-href";

describe("callsHref", () => {
  it("writes the filters in a fixed order and round-trips through the Calls parser", () => {
    const link = {
      to: "2026-11-30",
      from: "2026-11-01",
      model: "mistral-medium-2508",
      without_cost: true,
      organization: "11111111-1111-4111-8111-111111111111",
      sort: "cost" as const,
    };
    const href = callsHref(link);
    expect(href).toBe(
      "/calls?organization=11111111-1111-4111-8111-111111111111&model=mistral-medium-2508&without_cost=1&from=2026-11-01&to=2026-11-30&sort=cost",
    );
    const parsed = parseCallFilters(new URLSearchParams(href.split("?")[1]));
    expect(parsed).toMatchObject(link);
    expect(`/calls${filtersToSearch(parsed)}`).toBe(href);
  });

  it("links null (not recorded) as NOT_RECORDED and leaves out absent, false and default values", () => {
    expect(callsHref({ stage: null, request_type: undefined, fallback_priced: false, sort: "time", dir: "desc" })).toBe(
      `/calls?${new URLSearchParams({ stage: NOT_RECORDED })}`,
    );
    expect(callsHref({})).toBe("/calls");
    expect(parseCallFilters({ organization: NOT_RECORDED, stage: NOT_RECORDED })).toMatchObject({ organization: NOT_RECORDED, stage: NOT_RECORDED });
  });

  it("encodes values that need escaping", () => {
    const href = callsHref({ action: "a&b=c", q: "50% off" });
    expect(parseCallFilters(new URLSearchParams(href.split("?")[1]))).toMatchObject({ action: "a&b=c", q: "50% off" });
  });
});

describe("parseCallFilters", () => {
  it("drops invalid values one by one and reads checkbox values", () => {
    expect(
      parseCallFilters({ from: "2026-02-30", sort: "price", dir: "up", organization: "acme", without_cost: "on", cache_hit: "0", status: "failed" }),
    ).toEqual({ without_cost: true, status: "failed" });
    expect(parseCallFilters({ model: ["a", "b"], q: "  " })).toEqual({ model: "a" });
  });

  it("defaults to the last 30 days of the zone unless dates or a request id are given", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(withDefaultRange({}, now)).toEqual({ from: "2026-11-08", to: "2026-12-07", zone: "UTC" });
    expect(withDefaultRange({ from: "2026-10-01" }, now)).toEqual({ from: "2026-10-01", zone: "UTC" });
    const requestId = "15000000-0000-4000-8000-0000000000ff";
    expect(withDefaultRange({ requestId }, now)).toEqual({ requestId, zone: "UTC" });
    // 23:30 UTC on 7 December is already the 8th in Amsterdam.
    expect(withDefaultRange({}, new Date("2026-12-07T23:30:00Z"), "Europe/Amsterdam")).toMatchObject({ from: "2026-11-09", to: "2026-12-08" });
  });

  it("resolves a preset in the zone (the URL's tz first) and keeps it a preset in links", () => {
    const now = new Date("2026-11-30T23:30:00Z"); // 1 December 00:30 in Amsterdam
    const parsed = parseCallFilters({ preset: "this_month", from: "2026-01-01", tz: "Europe/Amsterdam", model: "m" });
    expect(parsed).toMatchObject({ preset: "this_month", tz: "Europe/Amsterdam" });
    const resolved = withDefaultRange(parsed, now);
    expect(resolved).toMatchObject({ from: "2026-12-01", to: "2026-12-01", zone: "Europe/Amsterdam" });
    expect(withDefaultRange(parseCallFilters({ preset: "last_month" }), now, "UTC")).toMatchObject({ from: "2026-10-01", to: "2026-10-31" });
    // The link says "this month" (no days), so a shared link stays this month.
    expect(filtersToSearch(resolved)).toBe("?model=m&preset=this_month&tz=Europe%2FAmsterdam");
    // The CSV writes the days in the zone they are in.
    expect(filtersToSearch({ ...resolved, preset: undefined, tz: resolved.zone })).toBe("?model=m&from=2026-12-01&to=2026-12-01&tz=Europe%2FAmsterdam");
  });

  it("drops an unknown preset or zone instead of failing", () => {
    expect(parseCallFilters({ preset: "last_year", tz: "Mars/Olympus", from: "2026-11-01" })).toEqual({ from: "2026-11-01" });
  });

  it("round-trips keyset cursors and rejects tampered ones", () => {
    const id = "15000000-0000-4000-8000-0000000000ff";
    expect(decodeCursor(encodeCursor("2026-11-10 12:00:00.123456+00", id, "0.000600000000"))).toEqual({
      key: "0.000600000000",
      createdAt: "2026-11-10 12:00:00.123456+00",
      id,
    });
    expect(decodeCursor(encodeCursor("2026-11-10 12:00:00+00", id))).toMatchObject({ key: null });
    expect(decodeCursor(encodeCursor("2026-11-10 12:00:00+00", id, "1; drop table"))).toBeNull();
    expect(decodeCursor(encodeCursor("not a date", id))).toBeNull();
    expect(decodeCursor("%%%")).toBeNull();
  });
});

describe("monthRange", () => {
  it("spans a whole month, leap days included", () => {
    expect(monthRange("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2026-12-01")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });
});
