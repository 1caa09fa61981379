#!/usr/bin/env node
// Completes package-lock.json with the per-platform optional packages (swc, resolver and
// msgpackr binaries for other operating systems and CPUs) that the registry mirror reachable
// from our build machines does not serve. npm leaves them out of the lock when it cannot read
// them, and `npm ci` then refuses the lock as out of sync. Each added entry carries the
// os/cpu/libc its name encodes, so npm skips it here and fetches it on a matching platform.
// Run it (then `npm install` once more) whenever an install dropped entries;
// test/unit/lockfile.test.ts fails while any are missing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

/** os, cpu and libc from a platform package name such as `core-linux-arm-gnueabihf`. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux' && parts.some((p) => p.startsWith('musl'))) platform.libc = ['musl'];
  else if (os === 'linux' && parts.some((p) => p.startsWith('gnu'))) platform.libc = ['glibc'];
  return platform;
}

function missingEntries(lock) {
  const added = {};
  for (const [where, pkg] of Object.entries(lock.packages)) {
    for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
      const nested = `${where ? `${where}/` : ''}node_modules/${dep}`;
      const top = `node_modules/${dep}`;
      if (lock.packages[nested] || lock.packages[top] || added[top]) continue;
      const platform = platformOf(dep);
      if (!platform || !/^\d+\.\d+\.\d+$/.test(version)) continue;
      added[top] = { version, ...(pkg.dev ? { dev: true } : {}), optional: true, ...platform };
    }
  }
  return added;
}

function main() {
  const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
  const added = missingEntries(lock);
  const names = Object.keys(added);
  if (process.argv.includes('--check')) {
    if (names.length) {
      console.error(`package-lock.json lacks ${names.length} platform packages (run node .ci/complete-lock.js):\n  ${names.join('\n  ')}`);
      process.exitCode = 1;
    }
    return;
  }
  lock.packages = { ...lock.packages, ...added };
  fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${names.length} platform package entries; run npm install to put them in npm's order`);
}

module.exports = { missingEntries, platformOf };
if (require.main === module) main();
