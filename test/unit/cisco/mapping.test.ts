import {
  fromParameterValues,
  matchDataModel,
  MappingError,
  toSetParameterValues,
  Tr069Mapper,
  type MappingOverrides,
} from '../../../src/cisco/mapping';

const VP = 'Device.Services.VoiceService.1.VoiceProfile';

describe('toSetParameterValues', () => {
  it('maps per-extension parameters with the {n} scheme and types the values', () => {
    const { parameterList, unmapped } = toSetParameterValues(
      {
        User_ID_2_: '158165',
        Line_Enable_2_: 'Yes',
        Proxy_2_: 'sip.example.com:5070',
        Register_Expires_2_: '0x0e10',
        SIP_Transport_2_: 'TLS',
        Periodic_Inform_Enable: 'no',
        Periodic_Inform_Interval: '86400',
        Dial_Plan_2_: '(xx.)',
      },
      'CP-8851-3PCC',
    );
    expect(parameterList).toEqual([
      { name: `${VP}.2.Line.1.SIP.URI`, value: '158165', type: 'xsd:string' },
      { name: `${VP}.2.Line.1.Enable`, value: 'Enabled', type: 'xsd:string' },
      { name: `${VP}.2.SIP.ProxyServer`, value: 'sip.example.com', type: 'xsd:string' },
      { name: `${VP}.2.SIP.ProxyServerPort`, value: 5070, type: 'xsd:unsignedInt' },
      { name: `${VP}.2.SIP.RegisterExpires`, value: 3600, type: 'xsd:unsignedInt' },
      { name: `${VP}.2.SIP.ProxyServerTransport`, value: 'TLS', type: 'xsd:string' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: false, type: 'xsd:boolean' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: 86400, type: 'xsd:unsignedInt' },
    ]);
    expect(unmapped).toEqual(['Dial_Plan_2_']);
  });

  it('leaves values without a TR-069 form to the configuration file', () => {
    const { parameterList, unmapped } = toSetParameterValues({ SIP_Transport_1_: 'AUTO', SIP_Port_1_: '', Proxy_1_: 'p.example.com' }, 'PC');
    expect(unmapped).toEqual(['SIP_Transport_1_', 'SIP_Port_1_']);
    expect(parameterList).toEqual([{ name: `${VP}.1.SIP.ProxyServer`, value: 'p.example.com', type: 'xsd:string' }]);
  });

  it('names the parameter when a value is malformed', () => {
    expect(() => toSetParameterValues({ Line_Enable_1_: 'maybe' }, 'PC')).toThrow('Line_Enable_1_: "maybe" is not Yes/No or 1/0');
    expect(() => toSetParameterValues({ Proxy_1_: 'a b' }, 'PC')).toThrow(MappingError);
    expect(() => toSetParameterValues({ SIP_Port_1_: '-1' }, 'PC')).toThrow('SIP_Port_1_: "-1" is not an unsigned 32-bit integer');
  });
});

describe('fromParameterValues', () => {
  it('reverses the mapping, joining host and port', () => {
    const { values, unmapped } = fromParameterValues(
      [
        { name: `${VP}.1.SIP.ProxyServer`, value: 'sip.example.com' },
        { name: `${VP}.1.SIP.ProxyServerPort`, value: 5061 },
        { name: `${VP}.3.Line.1.Enable`, value: 'Disabled' },
        { name: 'Device.ManagementServer.PeriodicInformEnable', value: '1' },
        { name: `${VP}.1.SIP.ProxyServerTransport`, value: 'SCTP' },
        { name: 'Device.DeviceInfo.SoftwareVersion', value: 'x' },
      ],
      'PC',
    );
    expect(values).toEqual({ Proxy_1_: 'sip.example.com:5061', Line_Enable_3_: 'No', Periodic_Inform_Enable: 'Yes' });
    expect(unmapped).toEqual([`${VP}.1.SIP.ProxyServerTransport`, 'Device.DeviceInfo.SoftwareVersion']);
  });

  it('cannot rebuild host:port from a lone port', () => {
    const { values, unmapped } = fromParameterValues([{ name: `${VP}.1.SIP.ProxyServerPort`, value: 5061 }], 'PC');
    expect(values).toEqual({});
    expect(unmapped).toEqual([`${VP}.1.SIP.ProxyServerPort`]);
  });
});

describe('operator overrides', () => {
  const overrides: MappingOverrides = {
    'CP-7841-3PCC': {
      'Profile_Rule': 'Device.X_CISCO_Provisioning.ProfileRule',
      'Dial_Plan_{n}_': `${VP}.{n}.DigitMap`,
      'Dial_Plan_1_': 'Device.X_CISCO_Line1.DialPlan',
      'User_ID_{n}_': null,
      'Resync_Periodic': 'Device.X_CISCO_Provisioning.ResyncPeriodic',
      'Web_Server_Port': 'Device.X_CISCO_Web.Port',
    },
  };

  it('apply to their product class only; names beat templates; null unmaps', () => {
    const m = new Tr069Mapper('CP-7841-3PCC', overrides);
    expect(m.resolve('Profile_Rule')).toMatchObject({ path: 'Device.X_CISCO_Provisioning.ProfileRule', origin: 'override', codec: 'string' });
    expect(m.resolve('Dial_Plan_2_')?.path).toBe(`${VP}.2.DigitMap`);
    expect(m.resolve('Dial_Plan_1_')?.path).toBe('Device.X_CISCO_Line1.DialPlan');
    expect(m.resolve('User_ID_1_')).toBeUndefined();
    expect(m.resolve('Web_Server_Port')?.codec).toBe('unsignedInt');
    expect(new Tr069Mapper('CP-8851-3PCC', overrides).resolve('Profile_Rule')).toBeUndefined();
    expect(new Tr069Mapper('CP-8851-3PCC', overrides).resolve('User_ID_1_')?.origin).toBe('catalogue');

    const r = toSetParameterValues({ Web_Server_Port: '0x50', User_ID_1_: '100', Dial_Plan_3_: '(x.)' }, 'CP-7841-3PCC', overrides);
    expect(r.parameterList).toEqual([
      { name: 'Device.X_CISCO_Web.Port', value: 80, type: 'xsd:unsignedInt' },
      { name: `${VP}.3.DigitMap`, value: '(x.)', type: 'xsd:string' },
    ]);
    expect(r.unmapped).toEqual(['User_ID_1_']);
    expect(fromParameterValues(r.parameterList, 'CP-7841-3PCC', overrides).values).toEqual({ Web_Server_Port: '80', Dial_Plan_3_: '(x.)' });
  });

  it('are checked: unknown names, malformed paths, collisions', () => {
    expect(() => new Tr069Mapper('PC', { PC: { Nope: 'Device.A.B' } })).toThrow('override for PC: Nope is not a catalogue parameter or {n} template');
    expect(() => new Tr069Mapper('PC', { PC: { GPP_A: 'not a path' } })).toThrow(/"not a path" is not a TR-069 parameter path/);
    expect(() => new Tr069Mapper('PC', { PC: { GPP_A: 'Device.{n}.A' } })).toThrow(/needs a \{n\} template name/);
    expect(() => new Tr069Mapper('PC', { PC: { GPP_A: 'Device.ManagementServer.URL' } })).toThrow(
      /ACS_URL and GPP_A both map to Device.ManagementServer.URL|GPP_A and ACS_URL both map/,
    );
    expect(() => new Tr069Mapper('PC', { PC: { 'GPP_{n}_': 'Device.A' } })).toThrow(/not a catalogue parameter/);
    expect(() => new Tr069Mapper('PC', { PC: { 'Dial_Plan_{n}_': 'Device.A.DialPlan' } })).toThrow(/both map to Device.A.DialPlan/);
  });
});

describe('matchDataModel', () => {
  it('reports which catalogue parameters the device data model has', () => {
    const discovered = [
      'Device.',
      'Device.ManagementServer.',
      'Device.ManagementServer.URL',
      'Device.ManagementServer.PeriodicInformInterval',
      `${VP}.1.Line.1.SIP.URI`,
      `${VP}.1.SIP.ProxyServer`,
      'Device.DeviceInfo.SerialNumber',
    ];
    const r = matchDataModel(discovered, 'CP-8851-3PCC');
    expect(r.matched).toEqual([
      { name: 'Proxy_1_', path: `${VP}.1.SIP.ProxyServer` },
      { name: 'User_ID_1_', path: `${VP}.1.Line.1.SIP.URI` },
      { name: 'ACS_URL', path: 'Device.ManagementServer.URL' },
      { name: 'Periodic_Inform_Interval', path: 'Device.ManagementServer.PeriodicInformInterval' },
    ]);
    expect(r.missing).toContainEqual({ name: 'User_ID_2_', path: `${VP}.2.Line.1.SIP.URI` });
    expect(r.missing.map((m) => m.name)).not.toContain('ACS_URL');
    expect(r.unmapped).toContain('Dial_Plan_1_');
    expect(r.unclaimed).toEqual(['Device.DeviceInfo.SerialNumber']);
    expect(r.matched.length + r.missing.length + r.unmapped.length).toBe(new Tr069Mapper('x').catalogue.entries.length);
  });
});
