/** How metric values read on the page: durations in the largest sensible unit, rates as percentages. */

export function formatHours(hours: number): { value: string; unit: string } {
  if (hours < 1) return { value: (hours * 60).toFixed(0), unit: "min" };
  if (hours < 48) return { value: hours.toFixed(hours < 10 ? 1 : 0), unit: "h" };
  const days = hours / 24;
  return { value: days.toFixed(days < 10 ? 1 : 0), unit: "days" };
}

export function formatRate(rate: number): { value: string; unit: string } {
  return { value: (rate * 100).toFixed(rate < 0.1 ? 1 : 0), unit: "%" };
}

export function formatPerDay(perDay: number): { value: string; unit: string } {
  return { value: perDay.toFixed(perDay < 1 ? 2 : 1), unit: "per day" };
}

/** A value in a compared metric's unit (`ComparedMetricDto["unit"]`), as the Overview shows it. */
export function formatValue(unit: "per-day" | "hours" | "share" | "per-30-days", value: number): { value: string; unit: string } {
  switch (unit) {
    case "per-day":
      return formatPerDay(value);
    case "hours":
      return formatHours(value);
    case "share":
      return formatRate(value);
    case "per-30-days":
      return { value: value.toFixed(1), unit: "per 30 days" };
  }
}
