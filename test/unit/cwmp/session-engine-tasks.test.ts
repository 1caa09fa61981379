import type { AcsRequest } from '../../../src/cwmp/soap/types';
import { engineOn, faultCode, knownCpe, taskInFlight, TestCpe } from './session-engine-harness';

/** SessionEngine, ACS phase: the empty POST, task dispatch, answers and faults, the session's end. */

const GET_SW: AcsRequest = { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] };
const RPC_METHODS: AcsRequest = { method: 'GetRPCMethods' };
const SET_CODE: AcsRequest = { method: 'SetParameterValues', parameterList: [{ name: 'Device.DeviceInfo.ProvisioningCode', value: 'from-acs', type: 'xsd:string' }], parameterKey: 'k1' };

describe('SessionEngine: empty POST and task dispatch', () => {
  it('ends a session with nothing queued with 204 and frees the device', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    await cpe.inform();
    const end = await cpe.empty();
    expect(end.reply.status).toBe(204);
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ phase: 'ended' });
    expect(h.observer.events.map((e) => e.type)).toEqual(['informed', 'sessionEnded']);
    expect((await h.traces.get(cpe.id, 1))?.outcome).toBe('completed');
    expect((await new TestCpe(h, cpe.device).inform()).message?.method).toBe('InformResponse');
  });

  it('refuses an empty POST outside a session with 400', async () => {
    const h = engineOn();
    const cpe = new TestCpe(h);
    expect((await cpe.empty()).reply).toMatchObject({ status: 400, close: true });
    cpe.cookie = 'f'.repeat(32);
    expect((await cpe.empty()).reply.status).toBe(400);
  });

  it('sends queued tasks one at a time in queue order; each answer settles its task', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const queued = [await h.tasks.queue(cpe.id, GET_SW), await h.tasks.queue(cpe.id, SET_CODE), await h.tasks.queue(cpe.id, RPC_METHODS)];
    await cpe.inform();
    let answer = await cpe.empty();
    for (const task of queued) {
      expect(answer.message).toMatchObject({ method: task.rpc.method });
      expect(await h.tasks.get(task._id)).toMatchObject({ status: 'sent', sessionId: cpe.cookie, attempts: 1 });
      answer = await cpe.respond(answer);
    }
    expect(answer.reply.status).toBe(204);
    for (const task of queued) expect((await h.tasks.get(task._id))!.status).toBe('done');
    const device = (await h.devices.getWithParams(cpe.id))!;
    expect(device.taskQueue).toEqual([]);
    expect(device.parameterKey).toBe('k1');
    expect(device.rpcMethods).toEqual(cpe.device.rpcMethods);
    expect((device.params as any).Device.DeviceInfo.ProvisioningCode._v).toBe('from-acs');
    expect(h.observer.events.filter((e) => e.type === 'taskFinished').map((e) => (e as { taskId: string }).taskId)).toEqual(queued.map((t) => t._id));
  });

  it('records a CWMP fault on its task and goes on with the next', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const bad = await h.tasks.queue(cpe.id, { method: 'GetParameterValues', parameterNames: ['Device.NoSuchThing.'] });
    const next = await h.tasks.queue(cpe.id, RPC_METHODS);
    await cpe.inform();
    const { requests, last } = await cpe.finish();
    expect(requests.map((r) => r.method)).toEqual(['GetParameterValues', 'GetRPCMethods']);
    expect(last.reply.status).toBe(204);
    expect(await h.tasks.get(bad._id)).toMatchObject({ status: 'fault', fault: { code: 9005 } });
    expect((await h.tasks.get(next._id))!.status).toBe('done');
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([]);
    expect((await h.traces.get(cpe.id, 2))!.faults).toBe(1);
  });

  it('drops cancelled tasks and expires overdue ones without sending them', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const cancelled = await h.tasks.queue(cpe.id, GET_SW);
    await h.tasks.cancel(cancelled._id, new Date());
    const overdue = await h.tasks.queue(cpe.id, GET_SW, { expiresAt: new Date(Date.now() - 1000) });
    const live = await h.tasks.queue(cpe.id, RPC_METHODS);
    await cpe.inform();
    const { requests } = await cpe.finish();
    expect(requests.map((r) => r.method)).toEqual(['GetRPCMethods']);
    expect((await h.tasks.get(overdue._id))!.status).toBe('expired');
    expect((await h.tasks.get(cancelled._id))!.status).toBe('cancelled');
    expect((await h.tasks.get(live._id))!.status).toBe('done');
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([]);
  });

  it('sends no more than the configured requests per session; the rest wait for the next', async () => {
    const h = engineOn({ env: { ACS_CWMP_MAX_RPCS: '2' } });
    const cpe = await knownCpe(h);
    const tasks = [await h.tasks.queue(cpe.id, RPC_METHODS), await h.tasks.queue(cpe.id, RPC_METHODS), await h.tasks.queue(cpe.id, RPC_METHODS)];
    await cpe.inform();
    expect((await cpe.finish()).requests).toHaveLength(2);
    expect((await h.tasks.get(tasks[2]._id))!.status).toBe('pending');
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([tasks[2]._id]);
    await cpe.inform();
    expect((await cpe.finish()).requests).toHaveLength(1);
    expect((await h.tasks.get(tasks[2]._id))!.status).toBe('done');
  });

  it('takes over a task a session that is gone left in flight', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const task = await h.tasks.queue(cpe.id, RPC_METHODS);
    await h.tasks.claim(task, 'another-session', new Date());
    const held = (await h.tasks.get(task._id))!;
    await cpe.inform();
    const first = await cpe.empty();
    expect(first.message?.method).toBe('GetRPCMethods');
    expect(await h.tasks.settle(task._id, 'another-session', { status: 'done', result: { method: 'GetRPCMethodsResponse', methodList: [] } }, new Date())).toBe(false);
    expect((await h.tasks.get(task._id))!.attempts).toBe(held.attempts + 1);
  });

  it('returns the task in flight to pending when the device sends an empty POST instead of answering', async () => {
    const h = engineOn();
    const { cpe, task, request } = await taskInFlight(h, GET_SW);
    expect(request.message?.method).toBe('GetParameterValues');
    expect((await cpe.empty()).reply.status).toBe(204);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await h.devices.get(cpe.id))!.taskQueue).toEqual([task._id]);
    expect((await h.traces.get(cpe.id, 2))!.rpcs).toMatchObject([{ method: 'GetParameterValues', outcome: 'unanswered' }]);
  });
});

describe('SessionEngine: answers that do not fit', () => {
  async function inFlight() {
    const h = engineOn();
    return { h, ...(await taskInFlight(h, GET_SW)) };
  }

  it('refuses a response to another method with 8003 and keeps the task in flight', async () => {
    const { h, cpe, task, request } = await inFlight();
    const wrong = await cpe.post(cpe.envelope({ method: 'RebootResponse' }, request.env!.header.id));
    expect(faultCode(wrong)).toBe(8003);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'sent', sessionId: cpe.cookie });
  });

  it('refuses a response whose cwmp:ID answers no request of the session with 8003', async () => {
    const { h, cpe, task, request } = await inFlight();
    const response = cpe.device.handle(request.message as AcsRequest);
    expect(faultCode(await cpe.post(cpe.envelope(response, 'not-the-id')))).toBe(8003);
    expect((await h.tasks.get(task._id))!.status).toBe('sent');
    expect((await cpe.post(cpe.envelope(response, request.env!.header.id))).reply.status).toBe(204);
    expect((await h.tasks.get(task._id))!.status).toBe('done');
  });

  it('refuses a response before the empty POST (nothing asked yet) with 8003', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    await cpe.inform();
    expect(faultCode(await cpe.post(cpe.envelope({ method: 'GetRPCMethodsResponse', methodList: [] })))).toBe(8003);
  });

  it('refuses a request from another address with 403 and leaves the session and its task alone', async () => {
    const { h, cpe, task, request } = await inFlight();
    const intruder = await cpe.post(cpe.envelope(cpe.device.handle(request.message as AcsRequest), request.env!.header.id), { source: '198.51.100.66' });
    expect(intruder.reply).toMatchObject({ status: 403, close: true });
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'sent', sessionId: cpe.cookie });
    expect((await cpe.respond(request)).reply.status).toBe(204);
  });

  it('ends the session with fault 8002 when a store fails, so the next Inform is served', async () => {
    const { h, cpe, task, request } = await inFlight();
    const learn = h.devices.learn.bind(h.devices);
    h.devices.learn = async () => {
      throw new Error('disk full');
    };
    const failed = await cpe.respond(request);
    expect(failed.reply).toMatchObject({ status: 500, close: true });
    expect(faultCode(failed)).toBe(8002);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'fault', fault: { code: 'acs_error' } });
    expect(await h.sessions.load(cpe.cookie!)).toMatchObject({ phase: 'ended' });
    h.devices.learn = learn;
    expect((await new TestCpe(h, cpe.device).inform()).message?.method).toBe('InformResponse');
  });

  it('gives a claimed task back, with its attempt, when the state holding it cannot be stored', async () => {
    const h = engineOn();
    const cpe = await knownCpe(h);
    const task = await h.tasks.queue(cpe.id, GET_SW);
    await cpe.inform();
    const save = h.sessions.save.bind(h.sessions);
    // Redis fails (a fail-over cuts the connection) as the task is about to go out
    h.sessions.save = async (state, previous) => {
      if (state.inflight) throw new Error('Command aborted due to connection close');
      return save(state, previous);
    };
    const failed = await cpe.empty();
    expect(failed.reply).toMatchObject({ status: 500, close: true });
    expect(failed.message?.method).not.toBe('GetParameterValues');
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'pending', attempts: 0 });
    h.sessions.save = save;
    const { requests } = await new TestCpe(h, cpe.device).session();
    expect(requests.map((r) => r.method)).toEqual(['GetParameterValues']);
    expect(await h.tasks.get(task._id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('carries on when the observer fails', async () => {
    const h = engineOn({
      observer: {
        informed: async () => Promise.reject(new Error('redis down')),
        sessionEnded: async () => Promise.reject(new Error('redis down')),
        taskFinished: async () => Promise.reject(new Error('redis down')),
        parametersLearned: async () => Promise.reject(new Error('redis down')),
      },
    });
    const cpe = new TestCpe(h);
    const task = (await cpe.session(), await h.tasks.queue(cpe.id, GET_SW));
    const { last } = await cpe.session();
    expect(last.reply.status).toBe(204);
    expect((await h.tasks.get(task._id))!.status).toBe('done');
  });
});
