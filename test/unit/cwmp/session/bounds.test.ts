import { boundFaultStrings, parameterCount } from '../../../../src/cwmp/session/bounds';
import type { Fault, TransferComplete } from '../../../../src/cwmp/soap/types';

describe('boundFaultStrings', () => {
  it('cuts every FaultString of a Fault, SetParameterValuesFault entries included', () => {
    const long = 'F'.repeat(1000);
    const fault: Fault = { method: 'Fault', faultcode: 'Client', faultstring: long, detail: { faultCode: 9003, faultString: long, setParameterValuesFault: [{ parameterName: 'Device.A', faultCode: 9007, faultString: long }] } };
    const { msg, cut } = boundFaultStrings(fault, 256);
    expect(cut).toBe(true);
    expect(msg.faultstring).toHaveLength(256);
    expect(msg.detail.faultString).toHaveLength(256);
    expect(msg.detail.setParameterValuesFault[0]).toEqual({ parameterName: 'Device.A', faultCode: 9007, faultString: 'F'.repeat(256) });
    expect(fault.detail.faultString).toHaveLength(1000);
  });

  it('cuts the FaultStruct of a TransferComplete and leaves short texts alone', () => {
    const tc: TransferComplete = { method: 'TransferComplete', commandKey: 'k', faultStruct: { faultCode: 9010, faultString: 'x'.repeat(300) }, startTime: '', completeTime: '' };
    expect(boundFaultStrings(tc, 256).msg.faultStruct.faultString).toHaveLength(256);
    const ok = { ...tc, faultStruct: { faultCode: 0, faultString: '' } };
    expect(boundFaultStrings(ok, 256)).toEqual({ msg: ok, cut: false });
  });
});

describe('parameterCount', () => {
  it('counts what a message reports', () => {
    expect(parameterCount({ method: 'GetParameterValuesResponse', parameterList: [{ name: 'A.B', value: 1, type: 'xsd:int' }] })).toBe(1);
    expect(parameterCount({ method: 'RebootResponse' })).toBe(0);
  });
});
