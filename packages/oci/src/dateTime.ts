// RFC 3339 section 5.6 `date-time`, ranges included: the shape alone would let
// "2015-13-45T25:61:61Z" through, which no Go client (time.Parse with RFC3339) reads.
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Whether `s` is an RFC 3339 date-time (`2015-10-31T22:22:56.015925234Z`, `…+01:00`): month
 * 01-12, a day the month has, hour 00-23, minute 00-59, second 00-60 (60 for a leap second, as
 * section 5.7 allows), offset 00:00-23:59. `T` and `Z` may be lower case, as section 5.6 says.
 */
export const isRfc3339DateTime = (s: string): boolean => {
  const m = SHAPE.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHour = m[7] === undefined ? 0 : Number(m[7]);
  const offsetMinute = m[8] === undefined ? 0 : Number(m[8]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 60 && offsetHour <= 23 && offsetMinute <= 59;
};
