import os from 'node:os';
import path from 'node:path';

/** The machine a figure was measured on, with the load average beside it (the machine is shared). */
export function machine(): string {
  return `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/** The command line that reproduces this run, as it would be typed from the repository's root. */
export function reproduce(): string {
  const script = path.relative(process.cwd(), process.argv[1] ?? '');
  const quoted = process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  const run = script.endsWith('.ts') ? `node -r @swc-node/register ${script}` : `npm run build && node ${script}`;
  return [run, ...quoted].join(' ');
}

/**
 * The common result format: one JSON document on stdout with the bench's name, the command
 * that reproduces it, the machine and its load, then the bench's figures.
 */
export function report(bench: string, figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench, command: reproduce(), machine: machine(), ...figures }, null, 2)}\n`);
}

/** For benches whose figures are a Markdown table: the command and machine as a line above it. */
export function tableHeader(): string {
  return `<!-- ${reproduce()}; ${machine()} -->`;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : NaN;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
