/** A rows-first nested array flattened in row-major order, with the shape it had. */
export interface Flat {
  values: unknown[];
  shape: number[];
}

/**
 * Flattens a nested array (rows first), checking it is rectangular. Returns undefined if it is ragged,
 * so the caller can name the input in its error.
 */
export function flatten(value: unknown): Flat | undefined {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const values: unknown[] = [];
  const walk = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) {
      if (Array.isArray(node)) return false;
      values.push(node);
      return true;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) return false;
    return node.every((child) => walk(child, depth + 1));
  };
  return walk(value, 0) ? { values, shape } : undefined;
}

/** The inverse of flatten: a flat row-major list back into nested arrays of the given shape. */
export function nest<T>(values: ArrayLike<T>, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0];
  const build = (offset: number, depth: number): unknown => {
    const size = shape[depth]!;
    if (depth === shape.length - 1) return Array.from({ length: size }, (_, i) => values[offset + i]);
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return build(0, 0);
}
