#!/usr/bin/env node
'use strict';
/**
 * `npm run build` (and `npm start`): runs each build step whose inputs changed since it last
 * succeeded, and says so; a step whose inputs hash to the stamp it left last time is skipped,
 * so a warm start does not rebuild anything. Plain Node: it runs before node_modules exists.
 *
 * A step: name, what it reads (files and folders, filtered by extension), what it must leave
 * behind (a missing output reruns the step) and the command. Add a step by adding an entry.
 */
const { createHash } = require('node:crypto');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMPS = path.join(ROOT, '.data', 'build');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Files a build writes into the source tree: never inputs, or every build would stale the next. */
const GENERATED = [path.join('src', 'console', 'app', 'generated')];

const STEPS = [
  {
    name: 'dependencies',
    about: 'npm ci (about 1-3 minutes on a cold npm cache)',
    inputs: ['package.json', 'package-lock.json'],
    outputs: ['node_modules/.package-lock.json'],
    // npm ci empties node_modules first, and through a symlink that is another checkout's
    writesInto: 'node_modules',
    command: [NPM, 'ci', '--no-audit', '--no-fund'],
  },
  {
    name: 'typescript',
    about: 'tsc (about 30-90 s from scratch on 2 cores, less when only some files changed)',
    inputs: ['src', 'migrations', 'bench', 'tools/local-stores', 'schemas', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    extensions: ['.ts', '.json'],
    outputs: ['dist/src/cli/main.js'],
    command: [process.execPath, path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'],
  },
  {
    name: 'console',
    about: 'the operator console: OpenAPI types, tsc and Vite (about 30-60 s on 2 cores)',
    // what src/console/build/build.ts reads: the console, the API it calls, the lockfile
    inputs: ['src/console', 'src/api', 'schemas/api', 'package-lock.json'],
    outputs: ['dist/console/index.html'],
    command: [process.execPath, '-r', '@swc-node/register', path.join(ROOT, 'src', 'console', 'build', 'build.ts')],
  },
];

/** Every input file under `inputs` (sorted, relative to the root), filtered by extension. */
function inputFiles(step, root = ROOT) {
  const out = [];
  const visit = (rel) => {
    const abs = path.join(root, rel);
    let st;
    try {
      st = fs.statSync(abs);
    } catch {
      out.push(`${rel}\0missing`);
      return;
    }
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort()) {
        if (entry === 'node_modules' || entry.startsWith('.') || GENERATED.includes(path.join(rel, entry))) continue;
        visit(path.join(rel, entry));
      }
    } else if (!step.extensions || step.extensions.includes(path.extname(rel))) out.push(rel);
  }
  for (const input of step.inputs) visit(input);
  return out;
}

/** A hash of the step's command and of every input's path and content. */
function inputsHash(step, root = ROOT) {
  const hash = createHash('sha256').update(JSON.stringify(step.command.slice(1)));
  for (const rel of inputFiles(step, root)) {
    hash.update(rel).update('\0');
    if (!rel.endsWith('\0missing')) hash.update(fs.readFileSync(path.join(root, rel)));
  }
  return hash.digest('hex');
}

function stampFile(step, stamps = STAMPS) {
  return path.join(stamps, `${step.name}.sha256`);
}

function upToDate(step, hash, root = ROOT, stamps = STAMPS) {
  if (!step.outputs.every((o) => fs.existsSync(path.join(root, o)))) return false;
  try {
    return fs.readFileSync(stampFile(step, stamps), 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

function run(command, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command[0])} exited with ${signal ?? code}`))));
  });
}

/** A step that rewrites a folder never runs when that folder is a symlink: it would rewrite the folder linked to. */
function refuseLinkedTarget(step, root) {
  if (!step.writesInto) return;
  const target = path.join(root, step.writesInto);
  let linked;
  try {
    linked = fs.lstatSync(target).isSymbolicLink();
  } catch {
    return;
  }
  if (linked) {
    throw new Error(`${step.name}: ${step.writesInto} is a symlink to ${fs.readlinkSync(target)}; running the step would rewrite that folder. Run it there, or replace the link with a folder of its own`);
  }
}

/** Runs the steps that need it; `log` gets one line per step (and a heartbeat while it runs). */
async function build({ steps = STEPS, root = ROOT, stamps = STAMPS, log = (line) => process.stderr.write(`${line}\n`), force = false } = {}) {
  for (const step of steps) {
    const hash = inputsHash(step, root);
    if (!force && upToDate(step, hash, root, stamps)) {
      log(`build: ${step.name} up to date`);
      continue;
    }
    refuseLinkedTarget(step, root);
    const started = Date.now();
    log(`build: ${step.name}: ${step.about} ...`);
    const heartbeat = setInterval(() => log(`build: ${step.name} still running (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
    try {
      await run(step.command, root);
    } finally {
      clearInterval(heartbeat);
    }
    fs.mkdirSync(stamps, { recursive: true });
    // The hash of the inputs as they were before the step ran: an edit made meanwhile reruns it.
    fs.writeFileSync(stampFile(step, stamps), `${hash}\n`);
    log(`build: ${step.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

module.exports = { STEPS, build, inputsHash, upToDate };

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--force' && !STEPS.some((s) => s.name === a));
  if (unknown.length) {
    process.stderr.write(`build: unknown argument ${JSON.stringify(unknown[0])} (expected --force or a step: ${STEPS.map((s) => s.name).join(', ')})\n`);
    process.exit(2);
  }
  const names = args.filter((a) => a !== '--force');
  build({ steps: names.length ? STEPS.filter((s) => names.includes(s.name)) : STEPS, force: args.includes('--force') }).catch((err) => {
    process.stderr.write(`build: ${err.message}\n`);
    process.exit(1);
  });
}
