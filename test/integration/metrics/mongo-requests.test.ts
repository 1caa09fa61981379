import { request } from 'undici';
import { startTestAcs, CPE_PASSWORD, CPE_USERNAME, type TestAcs } from '../../support/acs';
import { ManualCpe, inform } from '../../support/cwmp-client';

const started: TestAcs[] = [];

afterAll(async () => {
  await Promise.all(started.map((a) => a.close()));
});

async function acsWith(commandMetrics: boolean): Promise<TestAcs> {
  const acs = await startTestAcs({ ACS_MONGO_COMMAND_METRICS: String(commandMetrics) });
  started.push(acs);
  return acs;
}

/** The sample lines of one metric (the registry is the process's: both ACSs of this file add to it). */
async function samples(acs: TestAcs, name: string): Promise<Map<string, number>> {
  const text = await (await request(`${acs.metricsUrl}/metrics`)).body.text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return out;
}

const requests = async (acs: TestAcs) => (await samples(acs, 'acs_mongo_requests_total')).get('acs_mongo_requests_total') ?? 0;

it('counts every request sent to MongoDB, and no command by name unless asked to', async () => {
  const acs = await acsWith(false);
  const before = await requests(acs);
  const probe = acs.ctx.db.collection('metrics_probe');
  await probe.insertMany([{ _id: 'a' as never }, { _id: 'b' as never }]);
  await probe.findOne({ _id: 'a' as never });
  await probe.updateOne({ _id: 'b' as never }, { $set: { seen: true } });
  await probe.countDocuments();
  expect((await requests(acs)) - before).toBe(4);

  const cpe = new ManualCpe(`${acs.cwmpUrl}/`, { username: CPE_USERNAME, password: CPE_PASSWORD });
  const beforeSession = await requests(acs);
  expect((await cpe.send(inform('MONGOREQ1'))).status).toBe(200);
  expect((await cpe.post('')).status).toBe(204);
  expect(await requests(acs)).toBeGreaterThan(beforeSession);
  expect([...(await samples(acs, 'acs_mongo_commands_total')).keys()]).toEqual([]);
});

it('with ACS_MONGO_COMMAND_METRICS=true, also counts the commands by name', async () => {
  const acs = await acsWith(true);
  const find = 'acs_mongo_commands_total{command="find"}';
  const update = 'acs_mongo_commands_total{command="update"}';
  const before = await samples(acs, 'acs_mongo_commands_total');
  const probe = acs.ctx.db.collection('metrics_probe');
  await probe.findOne({ _id: 'a' as never });
  await probe.findOne({ _id: 'b' as never });
  await probe.updateOne({ _id: 'a' as never }, { $set: { seen: true } });
  const after = await samples(acs, 'acs_mongo_commands_total');
  expect((after.get(find) ?? 0) - (before.get(find) ?? 0)).toBe(2);
  expect((after.get(update) ?? 0) - (before.get(update) ?? 0)).toBe(1);
});
