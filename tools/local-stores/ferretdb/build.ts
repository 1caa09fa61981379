import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StoreError } from '../../../src/stores/errors';
import { buildCacheDir, ferretdbModuleDir } from '../paths';
import { findExecutable, runCommand, type StoreLog } from '../process';
import { applyPatch, FERRETDB_OVERLAY_DIR, FERRETDB_PATCHES, LIBC_MODULE, LIBC_PATCHES, type SourcePatch } from './patches';

const MODULE = 'github.com/FerretDB/FerretDB';
/** `go install` names the binary after the last element of the wrapper's module path. */
const BINARY = 'ferretdb-local';
const WRAPPER_FILES = ['main.go', 'go.mod', 'go.sum'];

function goExecutable(): string {
  const go = findExecutable('go', ['/usr/local/go/bin']);
  if (!go) {
    throw new StoreError('FerretDB (the local MongoDB) is built with Go, and no `go` was found on PATH or in /usr/local/go/bin: install Go 1.24 or newer, or set MONGODB_URL');
  }
  return go;
}

/** Paths of the overlay files, relative to the overlay directory (and to FerretDB's module). */
async function overlayFiles(moduleDir: string): Promise<string[]> {
  const root = path.join(moduleDir, FERRETDB_OVERLAY_DIR);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

/** Identifies the inputs of a build: the wrapper's sources, the patch list and the overlay. */
async function inputsHash(moduleDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of WRAPPER_FILES) hash.update(file).update(await readFile(path.join(moduleDir, file)));
  hash.update(JSON.stringify(FERRETDB_PATCHES)).update(JSON.stringify(LIBC_PATCHES));
  for (const file of await overlayFiles(moduleDir)) hash.update(file).update(await readFile(path.join(moduleDir, FERRETDB_OVERLAY_DIR, file)));
  return hash.digest('hex');
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

/**
 * Copies a module (the version go.mod selects) out of the read-only module cache into
 * buildDir and applies its patches; returns the copy's directory.
 */
async function patchedModule(go: string, moduleDir: string, buildDir: string, module: string, patches: readonly SourcePatch[]): Promise<string> {
  const info = JSON.parse(await runCommand(go, ['mod', 'download', '-json', module], { cwd: moduleDir })) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module} gave no directory${info.Error ? `: ${info.Error}` : ''}`);
  const source = path.join(buildDir, `${path.basename(module).toLowerCase()}-src`);
  if (existsSync(source)) {
    await makeWritable(source);
    await rm(source, { recursive: true });
  }
  await cp(info.Dir, source, { recursive: true });
  await makeWritable(source);
  for (const patch of patches) {
    const file = path.join(source, patch.file);
    await writeFile(file, applyPatch(await readFile(file, 'utf8'), patch));
  }
  return source;
}

/** The patched FerretDB module, with the overlay's files added. */
async function preparePatchedSource(go: string, moduleDir: string, buildDir: string): Promise<string> {
  const source = await patchedModule(go, moduleDir, buildDir, MODULE, FERRETDB_PATCHES);
  for (const file of await overlayFiles(moduleDir)) {
    const target = path.join(source, file);
    if (existsSync(target)) throw new Error(`FerretDB overlay file ${file} would replace a file of FerretDB`);
    await copyFile(path.join(moduleDir, FERRETDB_OVERLAY_DIR, file), target);
  }
  return source;
}

/**
 * Returns the path of the patched FerretDB binary in the machine's build cache, building it
 * first when no build of these exact inputs is there. A lock file lets concurrent callers (two
 * test runs, `npm start` during tests, two checkouts) wait for one build instead of racing.
 */
export async function ensureFerretdbBinary(log: StoreLog, cacheDir: string = buildCacheDir()): Promise<string> {
  const moduleDir = ferretdbModuleDir();
  const wanted = await inputsHash(moduleDir);
  const dataDir = path.join(cacheDir, 'ferretdb');
  const binDir = path.join(dataDir, wanted.slice(0, 16));
  const binary = path.join(binDir, BINARY);
  const stampFile = `${binary}.stamp`;
  const upToDate = async () => existsSync(binary) && existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === wanted;
  if (await upToDate()) return binary;

  const buildDir = path.join(dataDir, 'build');
  await mkdir(buildDir, { recursive: true });
  const release = await lockfile.lock(buildDir, {
    lockfilePath: path.join(dataDir, 'ferretdb-build.lock'),
    realpath: false,
    stale: 30_000,
    update: 5_000,
    // A cold build takes minutes on a busy machine: wait up to 15 min for another one.
    retries: { retries: 900, factor: 1, minTimeout: 1000, maxTimeout: 1000 },
    onCompromised: (err) => log(`ferretdb build: lock lost (${err.message}); continuing`),
  });
  try {
    if (await upToDate()) return binary;
    const go = goExecutable();
    log('ferretdb build: building patched FerretDB 1.24.2 (about a minute on a cold Go cache) ...');
    const started = Date.now();
    const source = await preparePatchedSource(go, moduleDir, buildDir);
    const libc = await patchedModule(go, moduleDir, buildDir, LIBC_MODULE, LIBC_PATCHES);
    const modFile = path.join(buildDir, 'go.patched.mod');
    const goMod = await readFile(path.join(moduleDir, 'go.mod'), 'utf8');
    await writeFile(modFile, `${goMod.trimEnd()}\n\nreplace ${MODULE} => ${source}\n\nreplace ${LIBC_MODULE} => ${libc}\n`);
    await copyFile(path.join(moduleDir, 'go.sum'), path.join(buildDir, 'go.patched.sum'));
    let compiled = 0;
    await runCommand(go, ['install', '-v', `-modfile=${modFile}`, '.'], {
      cwd: moduleDir,
      env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
      onLine: (line) => {
        if (++compiled % 25 === 0) log(`ferretdb build: ${compiled} packages (${line.trim()})`);
      },
    });
    await writeFile(stampFile, wanted);
    log(`ferretdb build: done in ${Math.round((Date.now() - started) / 1000)} s -> ${binary}`);
    return binary;
  } finally {
    await release();
  }
}
