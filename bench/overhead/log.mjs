// The bench's progress log and the rounding of its figures.
export const startedAt = Date.now();

export const log = (...a) => console.log(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1)}s]`, ...a);

/** Rounded to 3 decimals; null for a missing figure. */
export const r3 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);

/** a ÷ b to 2 decimals; null when either is missing or b is 0. */
export const ratio = (a, b) => (a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100);
