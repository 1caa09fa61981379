/**
 * Builds the operator console into dist/console/: dumps the OpenAPI document, generates the
 * client's types from it, typechecks the console against them and bundles it with Vite.
 * Skipped when nothing it is built from changed (a hash of the inputs, kept next to the
 * output), so a warm `npm start` stays fast.
 *
 *   node -r @swc-node/register src/console/build/build.ts [--types-only] [--force]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { operationRoles } from '../app/lib/roles';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'dist/console');
const STAMP = join(OUT, '.inputs-sha256');
const GENERATED = join(ROOT, 'src/console/app/generated');
/** What the bundle depends on: its own sources, the API declarations and the lockfile. */
const INPUTS = ['src/console', 'src/api', 'schemas/api', 'package-lock.json', 'src/firmware/notation.ts'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs)
    .filter((name) => !(path === 'src/console/app' && name === 'generated'))
    .flatMap((name) => files(join(path, name)));
}

export function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) hash.update(`${file}\0`).update(readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(`console build: ${command} ${args.join(' ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

/** The OpenAPI document and the client's types, from the route declarations. */
export function generateTypes(): void {
  mkdirSync(GENERATED, { recursive: true });
  const doc = join(GENERATED, 'openapi.json');
  run(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'dump-openapi.ts'), doc]);
  run(bin('openapi-typescript'), [doc, '--output', join(GENERATED, 'api.d.ts'), '--silent', '--default-non-nullable', 'false']);
  // The weakest role of each operation, so the console shows only what the user may do.
  const roles = operationRoles(JSON.parse(readFileSync(doc, 'utf8')) as Parameters<typeof operationRoles>[0]);
  writeFileSync(join(GENERATED, 'roles.json'), `${JSON.stringify(roles, null, 2)}\n`);
}

function main(argv: string[]): void {
  if (argv.includes('--types-only')) return generateTypes();
  const hash = inputsHash();
  if (!argv.includes('--force') && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) {
    process.stdout.write(`console build: up to date (${relative(ROOT, OUT)})\n`);
    return;
  }
  generateTypes();
  run(bin('tsc'), ['--noEmit', '-p', 'src/console/app/tsconfig.json']);
  // Always React's production build, also when called from jest (which sets NODE_ENV=test).
  run(bin('vite'), ['build', '--config', join(__dirname, 'vite.config.mjs')], { ...process.env, NODE_ENV: 'production' });
  writeFileSync(STAMP, `${hash}\n`);
  process.stdout.write(`console build: built ${relative(ROOT, OUT)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
