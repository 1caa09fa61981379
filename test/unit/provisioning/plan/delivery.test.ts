import { Tr069Mapper } from '../../../../src/cisco/mapping';
import { planDelivery } from '../../../../src/provisioning';

const vp1 = 'Device.Services.VoiceService.1.VoiceProfile.1';

describe('planDelivery', () => {
  const values = { User_ID_1_: '4085551000', Proxy_1_: 'sip.example.net:5061', Station_Name: 'Lobby', Profile_Rule: 'https://p/$MA.xml' };

  it('sends everything by file while no TR-069 path is confirmed', () => {
    expect(planDelivery(values, new Tr069Mapper('CP-8851-3PCC'))).toEqual({ parameterValues: [], byFile: Object.keys(values) });
  });

  it('uses SetParameterValues for paths the phone\'s learned model has, or an operator confirmed', () => {
    const mapper = new Tr069Mapper('CP-8851-3PCC', { 'CP-8851-3PCC': { Profile_Rule: 'Device.X_CISCO_Provisioning.ProfileRule' } });
    const learned = new Set([`${vp1}.Line.1.SIP.URI`, `${vp1}.SIP.ProxyServer`]);
    const plan = planDelivery(values, mapper, learned);
    expect(plan.parameterValues).toEqual([
      { name: `${vp1}.Line.1.SIP.URI`, value: '4085551000', type: 'xsd:string' },
      { name: 'Device.X_CISCO_Provisioning.ProfileRule', value: 'https://p/$MA.xml', type: 'xsd:string' },
    ]);
    // Proxy_1_ needs its port path too, which the learned model lacks: by file, whole.
    expect(plan.byFile).toEqual(['Proxy_1_', 'Station_Name']);
  });

  it('puts a value TR-069 cannot express in the file', () => {
    const mapper = new Tr069Mapper('CP-8851-3PCC', { 'CP-8851-3PCC': { 'Register_Expires_{n}_': `Device.Services.VoiceService.1.VoiceProfile.{n}.SIP.RegisterExpires` } });
    expect(planDelivery({ Register_Expires_1_: 'soon' }, mapper)).toEqual({ parameterValues: [], byFile: ['Register_Expires_1_'] });
  });
});
