import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Step {
  name: string;
  about: string;
  inputs: string[];
  extensions?: string[];
  outputs: string[];
  writesInto?: string;
  command: string[];
}
// Plain JavaScript: the driver runs before node_modules (and TypeScript) exist.
const driver = require('../../../tools/build.js') as {
  STEPS: Step[];
  build(o: { steps: Step[]; root: string; stamps: string; log: (line: string) => void }): Promise<void>;
};

/** A step that appends a line to runs.txt each time it runs and leaves out/done behind. */
function fixture() {
  const root = mkdtempSync(path.join(tmpdir(), 'acs-build-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'src', 'notes.md'), 'ignored\n');
  const step: Step = {
    name: 'compile',
    about: 'test step',
    inputs: ['src'],
    extensions: ['.ts'],
    outputs: ['out/done'],
    command: [process.execPath, '-e', "const fs=require('fs');fs.appendFileSync('runs.txt','x');fs.mkdirSync('out',{recursive:true});fs.writeFileSync('out/done','')"],
  };
  const lines: string[] = [];
  const run = () => driver.build({ steps: [step], root, stamps: path.join(root, 'stamps'), log: (l) => lines.push(l) });
  const runs = () => readFileSync(path.join(root, 'runs.txt'), 'utf8').length;
  return { root, run, runs, lines };
}

describe('tools/build.js', () => {
  it('runs a step once, then skips it while its inputs are unchanged', async () => {
    const f = fixture();
    await f.run();
    await f.run();
    expect(f.runs()).toBe(1);
    expect(f.lines).toEqual(['build: compile: test step ...', expect.stringMatching(/^build: compile done in \d+\.\d s$/), 'build: compile up to date']);
    writeFileSync(path.join(f.root, 'src', 'notes.md'), 'not an input\n');
    await f.run();
    expect(f.runs()).toBe(1);
  });

  it('runs it again when an input changes, appears or goes, or an output is missing', async () => {
    const f = fixture();
    await f.run();
    writeFileSync(path.join(f.root, 'src', 'a.ts'), 'export const a = 2;\n');
    await f.run();
    writeFileSync(path.join(f.root, 'src', 'b.ts'), 'export const b = 1;\n');
    await f.run();
    rmSync(path.join(f.root, 'src', 'b.ts'));
    await f.run();
    rmSync(path.join(f.root, 'out'), { recursive: true });
    await f.run();
    expect(f.runs()).toBe(5);
  });

  it('never counts what a build writes into the source tree (the console\'s generated API types) as an input', async () => {
    const f = fixture();
    await f.run();
    const generated = path.join(f.root, 'src', 'console', 'app', 'generated');
    mkdirSync(generated, { recursive: true });
    writeFileSync(path.join(generated, 'api.d.ts'), 'export interface paths {}\n');
    await f.run();
    expect(f.runs()).toBe(1);
    writeFileSync(path.join(f.root, 'src', 'console', 'app', 'main.ts'), 'export {};\n');
    await f.run();
    expect(f.runs()).toBe(2);
  });

  it('refuses to run a step whose folder is a symlink, leaving the folder linked to untouched', async () => {
    const f = fixture();
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'acs-build-linked-'));
    writeFileSync(path.join(elsewhere, 'keep'), 'x');
    symlinkSync(elsewhere, path.join(f.root, 'deps'));
    const wipe = { name: 'deps', about: 'rewrites deps', inputs: ['src'], outputs: ['deps/done'], writesInto: 'deps', command: [process.execPath, '-e', "require('fs').rmSync('deps/keep')"] };
    await expect(driver.build({ steps: [wipe], root: f.root, stamps: path.join(f.root, 'stamps'), log: () => undefined })).rejects.toThrow(`deps is a symlink to ${elsewhere}`);
    expect(existsSync(path.join(elsewhere, 'keep'))).toBe(true);
    rmSync(path.join(f.root, 'deps'));
    await driver.build({ steps: [{ ...wipe, command: [process.execPath, '-e', "require('fs').mkdirSync('deps');require('fs').writeFileSync('deps/done','')"] }], root: f.root, stamps: path.join(f.root, 'stamps'), log: () => undefined });
    expect(existsSync(path.join(f.root, 'deps', 'done'))).toBe(true);
    rmSync(elsewhere, { recursive: true });
    rmSync(f.root, { recursive: true });
  });

  it('a failing step fails the build and leaves no stamp', async () => {
    const f = fixture();
    const failing = { name: 'broken', about: 'fails', inputs: ['src'], outputs: ['never'], command: [process.execPath, '-e', 'process.exit(3)'] };
    await expect(driver.build({ steps: [failing], root: f.root, stamps: path.join(f.root, 'stamps'), log: () => undefined })).rejects.toThrow('exited with 3');
    await expect(driver.build({ steps: [failing], root: f.root, stamps: path.join(f.root, 'stamps'), log: () => undefined })).rejects.toThrow();
  });

  it('builds the dependencies, then the TypeScript, then the console', () => {
    expect(driver.STEPS.map((s) => s.name)).toEqual(['dependencies', 'typescript', 'console']);
  });
});
