/** Edit distance (insertions, deletions, substitutions) between two words. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to a mistyped one, when it is close enough to be a typo (at most a third of
 * its letters wrong) or the typed word is a prefix of exactly one name.
 */
export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const prefixed = names.filter((name) => name.startsWith(typed));
  if (typed.length > 0 && prefixed.length === 1) return prefixed[0];
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const d = distance(typed, name);
    if (!best || d < best.distance) best = { name, distance: d };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
