import type { CommandStartedEvent } from 'mongodb';
import { DeviceRepository } from '../../../src/devices/repository';
import { TRANSFER_LOG } from '../../../src/files/transfer-log';
import { DeviceVariablesStore } from '../../../src/profiles/device-variables';
import { ProfileStore } from '../../../src/profiles/store';
import { MappingOverrideStore, StoredDesiredConfig } from '../../../src/provisioning';
import { ChangeMarker, HistoryStore, type ProvisionState } from '../../../src/provisioning';
import { ciscoConfigHooks, Fleet, type FleetDevice } from '../../../src/sim';
import { freePort } from '../../../tools/local-stores/process';
import { TaskRepository } from '../../../src/tasks/repository';
import { CPE_PASSWORD, CPE_USERNAME, startTestAcs, type TestAcs } from '../../support/acs';
import { eventually } from '../../support/api';
import { isTraceWrite } from '../../support/mongo';

/**
 * Reconciliation inside sessions, with the simulator: a phone bootstraps into its desired
 * state (SetParameterValues where a path is confirmed, the configuration file for the rest),
 * then costs nothing; a change costs only what changed; a refused value is recorded once.
 */
const PC = 'CP-8851-3PCC';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';
const LINE = 'Device.Services.VoiceService.1.VoiceProfile.1';

let acs: TestAcs;
let fleet: Fleet;
let profiles: ProfileStore;
let variables: DeviceVariablesStore;
let devices: DeviceRepository;
let tasks: TaskRepository;

beforeAll(async () => {
  const fsPort = await freePort();
  acs = await startTestAcs({ ACS_FS_PORT: String(fsPort), ACS_PUBLIC_FS_URL: `http://127.0.0.1:${fsPort}` }, { roles: ['cwmp', 'fs'] });
  const db = acs.stores.db;
  const marker = new ChangeMarker(acs.ctx.redis, acs.ctx.config.redisPrefix);
  profiles = new ProfileStore(db, () => marker.bump('profiles'));
  variables = new DeviceVariablesStore(db);
  devices = new DeviceRepository(db);
  tasks = new TaskRepository(db);
  // The interval's path is confirmed for this model; the line's second appearance is not a standard path.
  await new MappingOverrideStore(db).replace(PC, {
    Periodic_Inform_Interval: INTERVAL,
    Display_Name_2_: `${LINE}.Line.2.CallingFeatures.CallerIDName`,
  });
  fleet = new Fleet({ acsUrl: `${acs.cwmpUrl}/cwmp`, count: 4, auth: 'digest', username: CPE_USERNAME, password: CPE_PASSWORD, serialPrefix: 'REC', retry: false, hooks: ciscoConfigHooks() });
  await fleet.start();
});
afterAll(async () => {
  await fleet?.stop(1000);
  await acs?.close();
});

async function provision(id: string): Promise<ProvisionState | undefined> {
  return ((await devices.get(id, { provision: 1 })) as { provision?: ProvisionState } | null)?.provision;
}

const transfersOf = (d: FleetDevice) => acs.stores.db.collection(TRANSFER_LOG).countDocuments({ deviceId: d.deviceId });

/**
 * A session, then the one that reports a TransferComplete when the first carried a Download,
 * and the fs role's record of that download: the fs role writes its transfer log in batches,
 * up to FLUSH_MS later (more on a busy machine), and that write must not land in what the next
 * test counts as the cost of its own session.
 */
async function session(d: FleetDevice): Promise<string[]> {
  const logged = await transfersOf(d);
  const reported = d.nextSession((o) => o.transferCompletes > 0, 20_000);
  const outcome = await d.runSession();
  expect(outcome.ok).toBe(true);
  if (outcome.acsRequests.includes('Download')) {
    expect((await reported).transferCompletes).toBe(1);
    expect(await eventually(() => transfersOf(d), (n) => n > logged)).toBeGreaterThan(logged);
  } else reported.catch(() => undefined);
  return outcome.acsRequests;
}

function mongoCommands(): { stop(): string[] } {
  const commands: string[] = [];
  const seen = (e: CommandStartedEvent) => void (isTraceWrite(e) || commands.push(`${e.commandName} ${String(e.command[e.commandName])}`));
  acs.ctx.mongo.on('commandStarted', seen);
  return {
    stop: () => {
      acs.ctx.mongo.off('commandStarted', seen);
      return commands;
    },
  };
}

describe('a phone under a profile', () => {
  let phone: FleetDevice;

  beforeAll(async () => {
    phone = fleet.device(0);
    // Zero touch: the variables exist before the phone ever informed.
    await variables.replace(phone.deviceId, { ext: '4001' }, { sip_password: 's3cret-4001' });
    await profiles.create('base', {
      precedence: 10,
      match: { productClasses: [PC] },
      parameters: [
        { name: 'Periodic_Inform_Interval', value: '300' },
        { name: 'Station_Name', value: 'Lobby ${ext}' },
        { name: 'User_ID_1_', value: '${ext}' },
        { name: 'Password_1_', value: '${sip_password}' },
        { name: 'Device.Time.NTPServer1', value: 'ntp.example.com' },
      ],
    });
  });

  it('bootstraps into its desired state: the confirmed path by SetParameterValues, the rest by file', async () => {
    expect(await session(phone)).toEqual(['GetParameterValues', 'SetParameterValues', 'Download']);
    expect(phone.model.get(INTERVAL)).toBe(300);
    expect(phone.model.get('Device.Time.NTPServer1')).toBe('ntp.example.com');
    expect(phone.model.get(`${LINE}.Line.1.SIP.URI`)).toBe('4001');
    expect(phone.model.get(`${LINE}.Line.1.SIP.AuthPassword`)).toBe('s3cret-4001');
    expect(phone.cpe.vendorStore.get('Station_Name')).toBe('Lobby 4001');
    const state = await provision(phone.deviceId);
    expect(state?.applied).toMatch(/^r/);
    expect(state?.vars).toBeDefined();
    // The SetParameterValues came before the file: its key is an interim one, the file's success records the revision.
    expect(phone.model.get('Device.ManagementServer.ParameterKey')).not.toBe(state?.applied);
  });

  it('an up-to-date phone costs no RPC, one read and one write', async () => {
    const watch = mongoCommands();
    expect(await session(phone)).toEqual([]);
    expect(watch.stop()).toEqual(['find devices', 'update devices']);
  });

  it('a changed profile costs only what changed; the ParameterKey then records the revision', async () => {
    const base = (await profiles.get('base'))!;
    await profiles.replace('base', { precedence: 10, match: base.match, parameters: [...base.parameters.filter((p) => p.name !== 'Periodic_Inform_Interval'), { name: 'Periodic_Inform_Interval', value: '600' }] });
    expect(await session(phone)).toEqual(['SetParameterValues']);
    expect(phone.model.get(INTERVAL)).toBe(600);
    expect(phone.model.get('Device.ManagementServer.ParameterKey')).toBe((await provision(phone.deviceId))?.applied);
    expect(await session(phone)).toEqual([]);

    await variables.replace(phone.deviceId, { ext: '4002' }, { sip_password: 's3cret-4001' });
    expect(await session(phone)).toEqual(['Download']);
    expect(phone.model.get(`${LINE}.Line.1.SIP.URI`)).toBe('4002');
    expect(await session(phone)).toEqual([]);

    const history = await new HistoryStore(acs.stores.db).list(phone.deviceId, 10);
    const kinds = history.items.map((h) => h.kind);
    expect(kinds).toEqual(['file', 'set', 'file', 'set']);
    expect(history.items[1].changes).toEqual([{ name: 'Periodic_Inform_Interval', path: INTERVAL, old: '300', new: '600' }]);
    expect(history.items[0].changes).toEqual(
      expect.arrayContaining([
        { name: 'User_ID_1_', old: '4001', new: '4002' },
        { name: 'Station_Name', old: 'Lobby 4001', new: 'Lobby 4002' },
      ]),
    );
    expect(JSON.stringify(history.items)).not.toContain('s3cret');
  });
});

describe('faults', () => {
  it('a refused value is recorded once and not retried until the revision changes', async () => {
    const phone = fleet.device(1);
    await profiles.create('zero', { precedence: 20, match: { serialNumbers: [phone.serialNumber] }, parameters: [{ name: 'Periodic_Inform_Interval', value: '0' }] });
    // The plan stops at the refusal: the file is not sent either.
    expect(await session(phone)).toEqual(['GetParameterValues', 'SetParameterValues']);
    const state = await provision(phone.deviceId);
    expect(state?.failed).toMatchObject({ code: 9003 });
    const fault = await tasks.get(state!.failed!.taskId!);
    expect(fault).toMatchObject({ status: 'fault', createdBy: 'provisioning', rpc: { method: 'SetParameterValues' }, fault: { setParameterValuesFault: [expect.objectContaining({ parameterName: INTERVAL, faultCode: 9007 })] } });
    expect(await session(phone)).toEqual([]);
    expect(await session(phone)).toEqual([]);

    await profiles.replace('zero', { precedence: 20, match: { serialNumbers: [phone.serialNumber] }, parameters: [{ name: 'Periodic_Inform_Interval', value: '900' }] });
    expect(await session(phone)).toEqual(['SetParameterValues', 'Download']);
    expect(phone.model.get(INTERVAL)).toBe(900);
    expect((await provision(phone.deviceId))?.failed).toBeUndefined();
  });
});

describe('instances', () => {
  it('creates a missing instance with AddObject before setting values under it', async () => {
    const phone = fleet.device(2);
    await profiles.create('shared-line', { precedence: 20, match: { deviceIds: [phone.deviceId] }, parameters: [{ name: 'Display_Name_2_', value: 'Shared desk' }] });
    expect(await session(phone)).toEqual(['GetParameterNames', 'AddObject', 'GetParameterValues', 'SetParameterValues', 'Download']);
    expect(phone.model.get(`${LINE}.Line.2.CallingFeatures.CallerIDName`)).toBe('Shared desk');
    expect(await session(phone)).toEqual([]);
  });
});

describe("the device's own parameters and conflicts", () => {
  it('own parameters beat profiles; a conflict at one precedence is withheld, not settled', async () => {
    const phone = fleet.device(3);
    await profiles.create('left', { precedence: 15, match: { tags: ['floor-3'] }, parameters: [{ name: 'Station_Name', value: 'Left' }] });
    await profiles.create('right', { precedence: 15, match: { productClasses: [PC] }, parameters: [{ name: 'Station_Name', value: 'Right' }] });
    expect((await profiles.conflicts('right')).map((c) => c.parameter)).toEqual(['Station_Name']);
    expect(await session(phone)).toContain('Download');
    await devices.addTag(phone.deviceId, 'floor-3');
    await new StoredDesiredConfig(acs.stores.db).replace(phone.deviceId, [{ name: 'Primary_NTP_Server', value: 'ntp.own.example' }]);
    await session(phone);
    expect(phone.model.get('Device.Time.NTPServer1')).toBe('ntp.own.example');
    // Left and Right disagree at precedence 15: the phone keeps the value it had.
    expect(phone.cpe.vendorStore.get('Station_Name')).toBe('Right');
  });
});
