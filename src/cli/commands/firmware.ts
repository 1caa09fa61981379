import type { Command } from 'commander';
import { apiTarget, callApi, withApiOptions, type ApiFlags } from '../api/client';
import { json, table } from '../api/output';
import { UsageError } from '../errors';
import { parseWave, parseWindow, WAVE_SYNTAX, WINDOW_SYNTAX, type WaveNotation, type WindowNotation } from '../../firmware/notation';

interface Policy {
  productClass: string;
  revision: number;
  target: string;
  stages: string[];
  rollout: { status: string; reason?: string; wave: number; population: number; waves: Array<{ percent?: number; count?: number; size: number | null; admitted: number; done: number; fault: number }> };
}

interface SetFlags extends ApiFlags {
  target: string;
  stage: string[];
  floor?: string;
  allowDowngrade?: boolean;
  window: string[];
  utcOffset?: string;
  wave: string[];
  faultThreshold?: string;
  minResults?: string;
  soak?: string;
  json?: boolean;
}

const collect = (v: string, list: string[]) => [...list, v];

function show(p: Policy): string {
  const head = `${p.productClass}: target ${p.target}${p.stages.length ? ` via ${p.stages.join(', ')}` : ''}; rollout ${p.rollout.status}${p.rollout.reason ? ` (${p.rollout.reason})` : ''}, wave ${p.rollout.wave + 1} of ${p.rollout.waves.length}, population ${p.rollout.population}\n`;
  return head + table(['WAVE', 'UP TO', 'SIZE', 'ADMITTED', 'DONE', 'FAULT'], p.rollout.waves.map((w, i) => [i + 1, w.percent !== undefined ? `${w.percent} %` : w.count, w.size ?? 'all', w.admitted, w.done, w.fault]));
}

function number(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

function wave(text: string): WaveNotation {
  const w = parseWave(text);
  if (!w) throw new UsageError(`--wave takes ${WAVE_SYNTAX}, got ${JSON.stringify(text)}`);
  return w;
}

function window(text: string): WindowNotation {
  const w = parseWindow(text);
  if (!w) throw new UsageError(`--window takes ${WINDOW_SYNTAX}, got ${JSON.stringify(text)}`);
  return w;
}

/** `acs firmware list|get|set|pause|resume|abort|advance` against the operator API. */
export function register(program: Command): void {
  const firmware = program.command('firmware').description('firmware policies per product class and their staged rollouts (through the operator API)');
  const path = (pc: string) => `/firmware/policies/${encodeURIComponent(pc)}`;

  withApiOptions(firmware.command('list').description('every policy').option('--json', 'print JSON')).action(async (opts: ApiFlags & { json?: boolean }) => {
    const res = await callApi<{ items: Policy[] }>(apiTarget(opts), 'GET', '/firmware/policies');
    if (opts.json) return void process.stdout.write(json(res));
    process.stdout.write(table(['PRODUCT CLASS', 'TARGET', 'ROLLOUT', 'WAVE', 'POPULATION'], res.items.map((p) => [p.productClass, p.target, p.rollout.status, `${p.rollout.wave + 1}/${p.rollout.waves.length}`, p.rollout.population])));
  });

  withApiOptions(firmware.command('get <productClass>').description('a policy and where its rollout stands').option('--json', 'print JSON')).action(async (pc: string, opts: ApiFlags & { json?: boolean }) => {
    const p = await callApi<Policy>(apiTarget(opts), 'GET', path(pc));
    process.stdout.write(opts.json ? json(p) : show(p));
  });

  withApiOptions(
    firmware
      .command('set <productClass>')
      .description('set the policy of a product class (starts a new rollout)')
      .requiredOption('--target <version>', 'the load every device should run')
      .option('--stage <version>', 'a load devices below it must install first (repeat)', collect, [])
      .option('--floor <version>', 'never install below this load')
      .option('--allow-downgrade', 'bring devices above the target down to it')
      .option('--window <[days@]HH:MM-HH:MM>', 'maintenance window (repeat)', collect, [])
      .option('--utc-offset <minutes>', 'local time of the windows')
      .option('--wave <10%|count>', 'a cumulative wave (repeat, in order)', collect, [])
      .option('--fault-threshold <fraction>', 'pause when a wave fails more than this (0..1)')
      .option('--min-results <n>', 'results a wave needs before its fault rate counts')
      .option('--soak <seconds>', 'wait between waves')
      .option('--json', 'print JSON'),
  ).action(async (pc: string, opts: SetFlags) => {
    const body = {
      target: opts.target,
      ...(opts.stage.length ? { stages: opts.stage } : {}),
      ...(opts.floor ? { floor: opts.floor } : {}),
      ...(opts.allowDowngrade ? { allowDowngrade: true } : {}),
      ...(opts.window.length ? { windows: opts.window.map(window) } : {}),
      ...(opts.utcOffset !== undefined ? { utcOffsetMinutes: number('--utc-offset', opts.utcOffset) } : {}),
      ...(opts.wave.length ? { waves: opts.wave.map(wave) } : {}),
      ...(opts.faultThreshold !== undefined ? { faultThreshold: number('--fault-threshold', opts.faultThreshold) } : {}),
      ...(opts.minResults !== undefined ? { minResults: number('--min-results', opts.minResults) } : {}),
      ...(opts.soak !== undefined ? { soakSeconds: number('--soak', opts.soak) } : {}),
    };
    const p = await callApi<Policy>(apiTarget(opts), 'PUT', path(pc), body);
    process.stdout.write(opts.json ? json(p) : show(p));
  });

  for (const [verb, description] of [
    ['pause', 'pause the rollout'],
    ['resume', 'resume a paused rollout'],
    ['abort', 'abort the rollout'],
    ['advance', 'open the next wave now'],
  ] as const) {
    const cmd = firmware.command(`${verb} <productClass>`).description(description).option('--json', 'print JSON');
    if (verb === 'resume') cmd.option('--retry-failed', 'devices that failed in this rollout may try again');
    withApiOptions(cmd).action(async (pc: string, opts: ApiFlags & { json?: boolean; retryFailed?: boolean }) => {
      const p = await callApi<Policy>(apiTarget(opts), 'POST', `${path(pc)}/${verb}`, verb === 'resume' ? { retryFailed: !!opts.retryFailed } : undefined);
      process.stdout.write(opts.json ? json(p) : show(p));
    });
  }
}
