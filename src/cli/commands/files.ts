import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { apiTarget, callApi, uploadApi, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { UsageError } from '../errors';

const KINDS = ['firmware', 'configuration', 'ca'] as const;
const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

interface FileInfo {
  id: string;
  filename: string;
  kind: string;
  size: number;
  sha256: string;
  version?: string;
  productClasses?: string[];
  uploadedAt: string;
}

const collect = (v: string, list: string[]) => [...list, v];

/** `acs files upload|list`: firmware, configuration and CA files devices download. */
export function register(program: Command): void {
  const files = program.command('files').description('firmware, configuration and CA files for devices (through the operator API)');
  withApiOptions(
    files
      .command('upload <path>')
      .description('upload a file; its SHA-256 is computed while it streams in')
      .requiredOption('--kind <kind>', KINDS.join(', '))
      .option('--filename <name>', 'name devices see (default: the file\'s own name)')
      .option('--product-class <pc>', 'for this product class (repeat)', collect, [])
      .option('--software-version <v>', 'firmware: the SoftwareVersion the image installs')
      .option('--description <text>', 'a note for operators')
      .option('--sha256 <hex>', 'refuse the upload unless the content has this SHA-256')
      .option('--json', 'print JSON'),
  ).action(async (path: string, opts: ApiFlags & { kind: string; filename?: string; productClass: string[]; softwareVersion?: string; description?: string; sha256?: string; json?: boolean }) => {
    if (!(KINDS as readonly string[]).includes(opts.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new UsageError(`${path} is not a file`);
      size = st.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const filename = opts.filename ?? basename(path);
    if (!FILENAME.test(filename)) throw new UsageError(`file name ${JSON.stringify(filename)} must be 1-128 letters, digits, . _ + - (starting with a letter or digit); pass --filename`);
    if (opts.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.sha256)) throw new UsageError(`--sha256 must be 64 hex digits, got ${JSON.stringify(opts.sha256)}`);
    const q = new URLSearchParams({ filename, kind: opts.kind });
    for (const pc of opts.productClass) q.append('productClass', pc);
    if (opts.softwareVersion !== undefined) q.set('version', opts.softwareVersion);
    if (opts.description !== undefined) q.set('description', opts.description);
    if (opts.sha256 !== undefined) q.set('sha256', opts.sha256.toLowerCase());
    const info = await uploadApi<FileInfo>(apiTarget(opts), `/files?${q}`, createReadStream(path), size);
    process.stdout.write(opts.json ? json(info) : `file ${info.id} stored: ${info.filename} (${info.kind}, ${info.size} bytes, sha256 ${info.sha256})\n`);
  });
  withApiOptions(
    files
      .command('list')
      .description('stored files, newest first')
      .option('--kind <kind>', KINDS.join(', '))
      .option('--json', 'print JSON'),
  ).action(async (opts: ApiFlags & { kind?: string; json?: boolean }) => {
    if (opts.kind !== undefined && !(KINDS as readonly string[]).includes(opts.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(opts.kind)}`);
    const page = await callApi<{ items: FileInfo[] }>(apiTarget(opts), 'GET', `/files${opts.kind ? `?kind=${opts.kind}` : ''}`);
    if (opts.json) return void process.stdout.write(json(page));
    process.stdout.write(table(['ID', 'NAME', 'KIND', 'VERSION', 'PRODUCT CLASSES', 'BYTES', 'UPLOADED'], page.items.map((f) => [f.id, f.filename, f.kind, f.version, f.productClasses, f.size, f.uploadedAt])));
  });
}
