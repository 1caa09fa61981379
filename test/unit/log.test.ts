import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Logs as a process writes them to its standard output (here a pipe, as under a log collector). */
function logged(format: string): string {
  const script = `require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'log.ts'))}).createLogger('info', undefined, ${JSON.stringify(format)}).info({ event: 'x', password: 'hunter2' }, 'hello')`;
  return execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
}

describe('log lines', () => {
  it('are JSON when standard output is no terminal, or when asked', () => {
    for (const format of ['auto', 'json']) {
      const line = JSON.parse(logged(format));
      expect(line).toMatchObject({ level: 30, event: 'x', msg: 'hello', password: '[redacted]' });
    }
  });

  it('are human-readable when asked, secrets still redacted', () => {
    const text = logged('pretty');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello\n {4}event: "x"\n {4}password: "\[redacted\]"\n$/);
    expect(text).not.toContain('hunter2');
  });
});
