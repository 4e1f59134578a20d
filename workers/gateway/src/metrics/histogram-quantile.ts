/**
 * The q-quantile of a latency histogram, as Prometheus' histogram_quantile estimates it: find the bucket the
 * rank falls in and interpolate linearly between its bounds. `cumulative[i]` counts observations ≤ bounds[i];
 * `total` counts them all (those above the last bound too). `max` (the largest observation) caps the estimate,
 * and answers ranks above the last bound. null when there are no observations.
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  cumulative: readonly number[],
  total: number,
  max: number,
): number | null {
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (let i = 0; i < bounds.length; i++) {
    const count = cumulative[i]!;
    if (count >= rank && count > lowerCount) {
      const estimate = lowerBound + ((bounds[i]! - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
      return Math.min(estimate, max);
    }
    lowerBound = bounds[i]!;
    lowerCount = count;
  }
  return max;
}
