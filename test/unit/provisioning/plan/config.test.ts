import { Tr069Mapper } from '../../../../src/cisco/mapping';
import type { ParamTree } from '../../../../src/devices/types';
import { afterAdd, afterGet, afterList, afterSet, buildConfigPlan, endRecordsRevision, nextConfigAction, sameValue, type PlanInput } from '../../../../src/provisioning/plan/config';

const PC = 'CP-8851-3PCC';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const ENABLE = 'Device.ManagementServer.PeriodicInformEnable';
const LINE2 = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.2.CallingFeatures.CallerIDName';
const now = new Date('2026-11-18T12:00:00Z');
const mapper = new Tr069Mapper(PC, { [PC]: { Display_Name_2_: LINE2 } });
const leaf = (v: unknown, ageMs = 0) => ({ _v: v, _t: 'xsd:unsignedInt', _ts: new Date(now.getTime() - ageMs) });

function input(over: Partial<PlanInput>): PlanInput {
  return {
    key: 'rKEY',
    entries: [],
    secret: new Set(),
    mapper,
    confirmed: new Set([INTERVAL, ENABLE]),
    presumed: new Set(),
    tree: {},
    now,
    maxAgeMs: 3_600_000,
    forceFile: false,
    ...over,
  };
}

describe('the configuration plan', () => {
  it('reads stale or unknown values first, then sets only what differs; the last set carries the revision key', () => {
    const tree: ParamTree = { Device: { ManagementServer: { PeriodicInformInterval: leaf(300, 7_200_000), PeriodicInformEnable: { ...leaf(true), _t: 'xsd:boolean' } } } };
    const plan = buildConfigPlan(input({ tree, entries: [{ name: 'Periodic_Inform_Interval', value: '600' }, { name: 'Periodic_Inform_Enable', value: 'Yes' }] }));
    expect(plan.file).toBeUndefined();
    expect(nextConfigAction(plan)).toEqual({ kind: 'get', paths: [INTERVAL] });
    afterGet(plan, [INTERVAL], [{ name: INTERVAL, value: 300, type: 'xsd:unsignedInt' }]);
    const set = nextConfigAction(plan);
    expect(set).toMatchObject({ kind: 'set', final: true, params: [{ name: 'Periodic_Inform_Interval', path: INTERVAL, value: 600, type: 'xsd:unsignedInt', known: 300 }] });
    afterSet(plan, set.kind === 'set' ? set.params : []);
    expect(nextConfigAction(plan)).toEqual({ kind: 'done' });
  });

  it('sends what has no confirmed path (or a ua) by file, and only when that part changed', () => {
    const entries = [{ name: 'Periodic_Inform_Interval', value: '600' }, { name: 'Station_Name', value: 'Lobby' }, { name: 'Primary_NTP_Server', value: 'ntp.example.com', ua: 'na' as const }];
    const plan = buildConfigPlan(input({ entries, tree: { Device: { ManagementServer: { PeriodicInformInterval: leaf(600) } } } }));
    expect(plan.file?.values).toEqual([{ name: 'Station_Name', value: 'Lobby' }, { name: 'Primary_NTP_Server', value: 'ntp.example.com' }]);
    expect(nextConfigAction(plan)).toEqual({ kind: 'file' });
    plan.file!.queued = true;
    expect(nextConfigAction(plan)).toEqual({ kind: 'done' });
    // Delivered before: nothing to send; a bootstrapped device gets it again.
    expect(buildConfigPlan(input({ entries, deliveredFile: plan.file!.digest })).file).toBeUndefined();
    expect(buildConfigPlan(input({ entries, deliveredFile: plan.file!.digest, forceFile: true })).file).toBeDefined();
  });

  it('a set followed by a file carries an interim key, and a secret goes in the file part as a digest only', () => {
    const plan = buildConfigPlan(input({ entries: [{ name: 'Periodic_Inform_Interval', value: '600' }, { name: 'Password_1_', value: 'hunter2' }], secret: new Set(['Password_1_']), tree: { Device: { ManagementServer: { PeriodicInformInterval: leaf(300) } } } }));
    expect(nextConfigAction(plan)).toMatchObject({ kind: 'set', final: false });
    expect(JSON.stringify(plan.file)).not.toContain('hunter2');
    expect(plan.file?.values).toEqual([{ name: 'Password_1_', value: expect.any(String), secret: true }]);
  });

  it('lists the innermost unknown table, then adds a missing instance before touching values under it', () => {
    const plan = buildConfigPlan(input({ entries: [{ name: 'Display_Name_2_', value: 'Shared' }], confirmed: new Set([LINE2]) }));
    const table = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.';
    expect(nextConfigAction(plan)).toEqual({ kind: 'list', table });
    afterList(plan, table, [`${table}1.`]);
    expect(plan.objects).toEqual({ 'Device.Services.VoiceService.1.': true, 'Device.Services.VoiceService.1.VoiceProfile.1.': true, [`${table}2.`]: false });
    expect(nextConfigAction(plan)).toEqual({ kind: 'add', table, instance: 2 });
    expect(afterAdd(plan, table, 2, 2)).toBeUndefined();
    expect(nextConfigAction(plan)).toEqual({ kind: 'get', paths: [LINE2] });
  });

  it('a device numbering the new instance past the wanted one is an error, not a loop', () => {
    const plan = buildConfigPlan(input({ entries: [{ name: 'Display_Name_2_', value: 'Shared' }], confirmed: new Set([LINE2]) }));
    const table = 'Device.Services.VoiceService.1.VoiceProfile.1.Line.';
    afterList(plan, table, [`${table}1.`]);
    expect(afterAdd(plan, table, 2, 7)).toMatch(/created .*Line\.7\. while .*Line\.2\. was wanted/);
  });

  it('learned data model paths are taken to exist: no listing', () => {
    const plan = buildConfigPlan(input({ entries: [{ name: 'Display_Name_2_', value: 'Shared' }], confirmed: new Set([LINE2]), presumed: new Set([LINE2]) }));
    expect(nextConfigAction(plan)).toEqual({ kind: 'get', paths: [LINE2] });
  });

  it('compares values as their TR-069 type', () => {
    expect(sameValue(true, 'xsd:boolean', '1')).toBe(true);
    expect(sameValue(false, 'xsd:boolean', 'true')).toBe(false);
    expect(sameValue(600, 'xsd:unsignedInt', '600')).toBe(true);
    expect(sameValue('a', 'xsd:string', undefined)).toBe(false);
  });
});

describe('the end of a plan', () => {
  it('records the revision itself unless it queued the file, whose arrival records it', () => {
    const plan = buildConfigPlan(input({ entries: [{ name: 'Station_Name', value: 'Lobby' }] }));
    expect(plan.file).toBeDefined();
    expect(endRecordsRevision(plan)).toBe(true);
    expect(nextConfigAction(plan)).toEqual({ kind: 'file' });
    plan.file!.queued = true;
    expect(nextConfigAction(plan)).toEqual({ kind: 'done' });
    expect(endRecordsRevision(plan)).toBe(false);
    expect(endRecordsRevision(buildConfigPlan(input({})))).toBe(true);
  });
});
