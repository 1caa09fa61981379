import { readFileSync } from 'node:fs';
import path from 'node:path';

const { missingEntries, platformOf } = require('../../.ci/complete-lock.js') as {
  missingEntries(lock: unknown): Record<string, unknown>;
  platformOf(name: string): Record<string, string[]> | undefined;
};

describe('package-lock.json', () => {
  it('lists every platform binary, so `npm ci` accepts it on every platform', () => {
    const lock = JSON.parse(readFileSync(path.join(__dirname, '../../package-lock.json'), 'utf8'));
    expect(Object.keys(missingEntries(lock))).toEqual([]);
  });

  it('reads os, cpu and libc from platform package names', () => {
    expect(platformOf('@swc/core-linux-arm-gnueabihf')).toEqual({ os: ['linux'], cpu: ['arm'], libc: ['glibc'] });
    expect(platformOf('@unrs/resolver-binding-linux-riscv64-musl')).toEqual({ os: ['linux'], cpu: ['riscv64'], libc: ['musl'] });
    expect(platformOf('@swc/core-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('left-pad')).toBeUndefined();
  });

  it('reports entries a lock lacks', () => {
    const lock = { packages: { '': {}, 'node_modules/x': { dev: true, optionalDependencies: { '@x/bin-darwin-arm64': '1.2.3', '@x/bin-linux-x64-gnu': '1.2.3' } }, 'node_modules/@x/bin-linux-x64-gnu': {} } };
    expect(missingEntries(lock)).toEqual({ 'node_modules/@x/bin-darwin-arm64': { version: '1.2.3', dev: true, optional: true, os: ['darwin'], cpu: ['arm64'] } });
  });
});
