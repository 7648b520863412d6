import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/engine/date-range";
import { Dec } from "@/lib/engine/price";
import { forecastMonthEnd, median, spikeOn, type DaySpend } from "@/lib/engine/budget-forecast";

/** Forecast and spike rules on hand-built series whose answers are worked out in the comments. */

const weekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/** 2026-12-10 is a Thursday. */
const TODAY = "2026-12-10";

/**
 * 8 weeks before today: weekdays 10, weekend days 2; the last 7 finished days (Dec 3-9) doubled
 * (20 / 4); today 5 so far.
 */
function series(): DaySpend[] {
  const out: DaySpend[] = [];
  for (let i = 56; i >= 1; i--) {
    const day = addDays(TODAY, -i);
    const base = weekend(day) ? 2 : 10;
    out.push({ day, amount: String(i <= 7 ? base * 2 : base) });
  }
  out.push({ day: TODAY, amount: "5" });
  return out;
}

describe("forecastMonthEnd", () => {
  it("projects the weekday profile scaled by the last week's level onto the rest of the month", () => {
    const f = forecastMonthEnd(series(), TODAY);
    // Profile: weekday (7 x 10 + 20) / 8 = 11.25, weekend (7 x 2 + 4) / 8 = 2.25.
    expect(f.profile.map((p) => p.toFixed())).toEqual(["2.25", "11.25", "11.25", "11.25", "11.25", "11.25", "2.25"]);
    // Level: last week 5 x 20 + 2 x 4 = 108 against the profile's 5 x 11.25 + 2 x 2.25 = 60.75.
    expect(f.level.times(60.75).toDecimalPlaces(12).toFixed()).toBe("108");
    // Month so far: Dec 1-2 at 10, Dec 3-9 = 108, today 5: 133.
    expect(f.monthToDate.toFixed()).toBe("133");
    // Month end: 128 finished + today max(5, 20) + Dec 11-31 (15 weekdays x 20 + 6 weekend days x 4 = 324) = 472.
    expect(f.monthEnd.toFixed()).toBe("472");
  });

  it("keeps today's real spend when it is above the expected figure", () => {
    const s = series().map((d) => (d.day === TODAY ? { ...d, amount: "50" } : d));
    expect(forecastMonthEnd(s, TODAY).monthEnd.toFixed()).toBe("502");
  });

  it("averages only the weeks since the first day with history (a new client is not forecast low)", () => {
    // Two weeks of history at 7 a day, every day; the profile is 7 for every weekday.
    const s: DaySpend[] = Array.from({ length: 14 }, (_, i) => ({ day: addDays(TODAY, -(i + 1)), amount: "7" }));
    const f = forecastMonthEnd(s, TODAY, addDays(TODAY, -14));
    // Dec 1-9: 9 x 7 = 63; today and the 21 days after it at 7: 154. Total 217.
    expect(f.monthEnd.toFixed()).toBe("217");
  });

  it("forecasts the month so far when there is no history at all", () => {
    expect(forecastMonthEnd([{ day: TODAY, amount: "3.5" }], TODAY).monthEnd.toFixed()).toBe("3.5");
  });
});

describe("median and spikes", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2].map((n) => new Dec(n))).toFixed()).toBe("2");
    expect(median([4, 1, 3, 2].map((n) => new Dec(n))).toFixed()).toBe("2.5");
    expect(median([]).toFixed()).toBe("0");
  });

  it("flags a day above 3x the median of the 14 days before it, counting days without calls as 0", () => {
    // 14 trailing days: 10 days at 4, 4 days missing (0): median 4; the day spends 12.01.
    const trailing = Array.from({ length: 10 }, (_, i) => ({ day: addDays(TODAY, -(i + 1)), amount: "4" }));
    const spike = spikeOn([...trailing, { day: TODAY, amount: "12.01" }], TODAY);
    expect(spike?.median.toFixed()).toBe("4");
    expect(spike?.spent.toFixed()).toBe("12.01");
    // Exactly 3x is not a spike.
    expect(spikeOn([...trailing, { day: TODAY, amount: "12" }], TODAY)).toBeNull();
    // Mostly idle (median 0): never a spike.
    expect(spikeOn([{ day: addDays(TODAY, -1), amount: "1" }, { day: TODAY, amount: "100" }], TODAY)).toBeNull();
  });
});
