/**
 * Maps items with at most `limit` calls of `work` in flight, results in the items' order. The sweep uses
 * it to keep enough EC2 calls in flight to use a token bucket's rate (one call at a time at ~200 ms each
 * cannot reach 5 per second), while the pacer beneath holds each call until its bucket has a token.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
