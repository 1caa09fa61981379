import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * A service's stop() must hold the process open until the service has exited: jest's global
 * teardown awaits it with nothing else pending, and a process whose event loop empties there
 * exits with code 0 and hides every failed test. Run in a child so an early exit is observable.
 */
it('keeps the process alive while a stopping service exits, so the exit code set after it stands', () => {
  const processModule = path.resolve(__dirname, '../../../tools/local-stores/process.ts');
  const script = `
    const { transformFileSync } = require('@swc/core');
    require.extensions['.ts'] = (m, file) =>
      m._compile(transformFileSync(file, { module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }).code, file);
    const { startService } = require(${JSON.stringify(processModule)});
    const service = startService('sleeper', 'sh', ['-c', 'trap "sleep 0.5; exit 0" TERM; while :; do sleep 0.1; done'], process.cwd(), () => {});
    setTimeout(async () => {
      await service.stop();
      process.stdout.write('stopped');
      process.exitCode = 3;
    }, 200).unref();
    setTimeout(() => {}, 300);
  `;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8', timeout: 20_000 });
  expect(child.stderr).toBe('');
  expect(child.stdout).toBe('stopped');
  expect(child.status).toBe(3);
});
