/**
 * `items.map(fn)` with at most `limit` calls in flight, results in input order. Detail requests
 * (a PR's commits and reviews, a deployment's statuses) are independent; a few at a time cut a
 * backfill's wall time without hammering the API (the throttling plugin still paces requests).
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}
