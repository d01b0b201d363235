// `created` and history dates are RFC 3339 date-times, ranges included.
import { describe, expect, it } from "vitest";
import { isRfc3339DateTime } from "../src/dateTime.ts";
import { DateTimeCodec } from "../src/primitives.ts";

describe("isRfc3339DateTime", () => {
  it.each(["1970-01-01T00:00:00Z", "2015-10-31T22:22:56.015925234Z", "2024-02-29t23:59:59z", "2016-12-31T23:59:60Z", "2015-10-31T22:22:56+23:59", "2015-10-31T22:22:56-05:00"])("accepts %s", (s) => {
    expect(isRfc3339DateTime(s)).toBe(true);
  });

  it.each([
    ["2015-13-01T00:00:00Z", "month 13"],
    ["2015-00-01T00:00:00Z", "month 0"],
    ["2015-04-31T00:00:00Z", "April 31"],
    ["2023-02-29T00:00:00Z", "February 29 of a common year"],
    ["1900-02-29T00:00:00Z", "February 29 of a century not divisible by 400"],
    ["2015-10-00T00:00:00Z", "day 0"],
    ["2015-10-31T24:00:00Z", "hour 24"],
    ["2015-10-31T23:60:00Z", "minute 60"],
    ["2015-10-31T23:59:61Z", "second 61"],
    ["2015-10-31T22:22:56+24:00", "offset hour 24"],
    ["2015-10-31T22:22:56+01:60", "offset minute 60"],
    ["2015-10-31 22:22:56Z", "a space for T"],
    ["2015-10-31T22:22:56", "no offset"],
  ])("refuses %s (%s)", (s) => {
    expect(isRfc3339DateTime(s)).toBe(false);
  });

  it("is what DateTimeCodec checks", () => {
    expect([DateTimeCodec.is("2015-13-45T25:61:61Z"), DateTimeCodec.is("2000-02-29T12:00:00Z")]).toEqual([false, true]);
  });
});
