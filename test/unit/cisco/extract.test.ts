import { extractCatalogue } from '../../../src/cisco/catalogue';

/** A small sample profile damaged the way the PDF conversion damaged seed 001. */
const SEED = `Some chapter text

XML Open Format Sample

\`\`\`
<flat-profile>
<!-- Configuration Profile -->
<Provision Enable ua="na">Yes</Provision Enable>
<Resync At HHmm ua="na"/>
<Resync Periodic ua="na">3600+60</Resync Periodic>
<Resync Trigger 1 ua="na"/>
<Report To Server ua="na">On Request</Report To Server>
available options: On Request|On Local Change|Periodically
-->
<HTTP Report Method ua="na">POST/HTTP Report Method>
<!-- available options: POST|PUT -->
<Log Request Msg ua="na">
$PN $MAC -- Requesting resync
</Log Request Msg>
<!-- <Admin_Password ua="na"/> -->
<Rinq4 ua="na">n=Bell; w=file://bell.raw; c=1</Rinq4>
\`\`\`

\`\`\`
<!-- Subscriber Information -->
<Line Enable 1 ua="na">Yes</Line Enable 1 >
<Line_Enable_2 ua="rw">No</Line Enable 2
<User ID 1 ua="na">1001</User ID 1 >
<User_ID_2_ ua="na"/>
<Cadence_1 ua="na">60(2/4)</Cadence 1>
<Cadence 2 ua="na">60(.3/.2,1/.2,.3/4)
<Secure Call Indication
ua="na">397@-19;15(0/2/0)</secure Call Indication>
<Wake_up_when_ringing</pre>
ua="na">No</Wake up when ringing>
<il><ilBC Codec Name ua="na">iLBC</ilBC Codec Name>
<iLBC_Enable_1_ ua="na">Yes</iLBC_Enable_1_>
<iLBC Dynamic Payload ua="na">97</iLBC Dynamic Payload>
<SIP Transport 1 ua="na">UDP</SIP Transport 1 >
<!--
 available options:
garbled text
<SIP_Transport_2_ ua="na">TCP</SIP_Transport_2_>
     available options: UDP|TCP|TLS|AUTO -->
Junk Tag >
<!-- <Password 1
                ua="na">********</Password 1 > -->
</flat-profile>
\`\`\`
`;

describe('extractCatalogue', () => {
  const { catalogue, report } = extractCatalogue(SEED, ['<Resync_Trigger_1 ua="na"/>']);
  const get = (name: string) => catalogue.parameters.find((p) => p.name === name);
  const sampleNames = catalogue.parameters.filter((p) => !p.fixes?.some((f) => f.startsWith('not in the sample'))).map((p) => p.name);

  it('reads one parameter per element and recovers the canonical names', () => {
    expect(report.sampleElements).toBe(23);
    expect(sampleNames).toHaveLength(23);
    expect(new Set(sampleNames)).toEqual(
      new Set([
        'Provision_Enable',
        'Resync_At__HHmm_',
        'Resync_Periodic',
        'Resync_Trigger_1',
        'Report_To_Server',
        'HTTP_Report_Method',
        'Log_Request_Msg',
        'Admin_Password',
        'Ring4',
        'Line_Enable_1_',
        'Line_Enable_2_',
        'User_ID_1_',
        'User_ID_2_',
        'Cadence_1',
        'Cadence_2',
        'Secure_Call_Indication',
        'Wake_up_when_ringing',
        'iLBC_Codec_Name',
        'iLBC_Enable_1_',
        'iLBC_Dynamic_Payload',
        'SIP_Transport_1_',
        'SIP_Transport_2_',
        'Password_1_',
      ]),
    );
  });

  it('recovers values cut off by mangled closing tags and values over several lines', () => {
    expect(get('HTTP_Report_Method')?.sample).toBe('POST');
    expect(get('Log_Request_Msg')?.sample).toBe('$PN $MAC -- Requesting resync');
    expect(get('Cadence_2')?.sample).toBe('60(.3/.2,1/.2,.3/4)');
    expect(get('Secure_Call_Indication')?.sample).toBe('397@-19;15(0/2/0)');
    expect(get('Line_Enable_2_')?.sample).toBe('No');
    expect(get('Line_Enable_2_')?.ua).toBe('rw');
    expect(get('User_ID_2_')?.sample).toBeUndefined();
  });

  it('takes option lists from the comments that follow an element, shared by its family', () => {
    expect(get('Report_To_Server')?.type).toEqual({ kind: 'enum', options: ['On Request', 'On Local Change', 'Periodically'] });
    expect(get('HTTP_Report_Method')?.type).toEqual({ kind: 'enum', options: ['POST', 'PUT'] });
    expect(get('SIP_Transport_1_')?.type).toEqual({ kind: 'enum', options: ['UDP', 'TCP', 'TLS', 'AUTO'] });
    expect(report.unreadableOptions).toEqual([]);
  });

  it('types values, keeps secrets out of the samples and records every fix', () => {
    expect(get('Provision_Enable')?.type).toEqual({ kind: 'bool' });
    expect(get('Resync_Periodic')?.type).toEqual({ kind: 'schedule' });
    expect(get('Resync_At__HHmm_')?.fixes).toEqual(['name printed as "Resync At HHmm"']);
    expect(get('Ring4')?.fixes).toEqual(['name printed as "Rinq4"']);
    expect(get('Line_Enable_2_')?.fixes).toEqual(['printed as "Line_Enable_2"']);
    expect(get('iLBC_Codec_Name')?.fixes?.[0]).toMatch(/^case repaired from "ilBC_Codec_Name"/);
    expect(get('Password_1_')).toMatchObject({ secret: true, source: expect.stringMatching(/^001 L\d+$/) });
    expect(get('Password_1_')?.sample).toBeUndefined();
    expect(get('Admin_Password')?.secret).toBe(true);
    expect(get('User_ID_1_')?.tr069?.path).toBe('Device.Services.VoiceService.1.VoiceProfile.{n}.Line.1.SIP.URI');
    expect(report.manualFixes).toBe(2);
    expect(report.ignoredLines.map((l) => l.text)).toEqual(['Junk Tag >']);
  });

  it('cites the seed line of each element', () => {
    const lines = SEED.split('\n');
    const line = Number(get('Cadence_2')?.source.replace('001 L', ''));
    expect(lines[line - 1]).toContain('<Cadence 2 ua="na">');
  });

  it('refuses a sample value that does not fit the type the rules give', () => {
    const bad = SEED.replace('<Resync Periodic ua="na">3600+60<', '<Resync Periodic ua="na">soon<');
    expect(() => extractCatalogue(bad, [])).toThrow(/Resync_Periodic .*sample value does not fit its type: Schedule "soon"/);
  });

  it('refuses a text without the sample section', () => {
    expect(() => extractCatalogue('no sample here', [])).toThrow(/XML Open Format Sample/);
  });
});
