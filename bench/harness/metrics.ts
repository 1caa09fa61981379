/** Sum of the samples of metric `name` (those whose labels include `label`, when given). */
export function metricSum(text: string, name: string, label?: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (label && !line.includes(label))) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([0-9.e+-]+|NaN)$/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

/** The samples of metric `name` by the value of one of its labels (e.g. Mongo commands by `command`). */
export function metricBy(text: string, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`${label}="([^"]*)"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const key = re.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (key !== undefined) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/** `after - before`, key by key, leaving out keys that did not move. */
export function countsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((n, v) => n + v, 0);
}
