import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "@/lib/ingest/concurrency";

describe("mapWithConcurrency", () => {
  it("keeps input order and never has more than the limit in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapWithConcurrency([50, 10, 30, 0, 20, 5, 40], 3, async (delay, index) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delay));
      inFlight -= 1;
      return `${index}:${delay}`;
    });
    expect(result).toEqual(["0:50", "1:10", "2:30", "3:0", "4:20", "5:5", "6:40"]);
    expect(peak).toBe(3);
  });

  it("handles an empty list and passes a failure through", async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
    await expect(mapWithConcurrency([1, 2], 2, async (n) => (n === 2 ? Promise.reject(new Error("no")) : n))).rejects.toThrow("no");
  });
});
