import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  checkValue,
  instantiate,
  loadCatalogue,
  webNameToXmlName,
  type Catalogue,
  type CatalogueEntry,
} from '../../../src/cisco/catalogue';
import { Tr069Mapper, toTr069, fromTr069, defaultCodec } from '../../../src/cisco/mapping';
import { parseProfile, renderProfile } from '../../../src/cisco/profile';

const root = path.join(__dirname, '..', '..', '..');
const catalogue = loadCatalogue();
const entries = catalogue.entries;

describe('catalogue file', () => {
  it('validates against its JSON Schema', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'cisco-catalogue.schema.json'), 'utf8'));
    const data = JSON.parse(readFileSync(path.join(root, 'schemas', 'cisco-catalogue.json'), 'utf8')) as Catalogue;
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    const ok = validate(data);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a malformed entry', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'cisco-catalogue.schema.json'), 'utf8'));
    const validate = new Ajv2020().compile(schema);
    const bad = (entry: Partial<CatalogueEntry>): boolean =>
      validate({ version: 1, description: '', instanceScheme: '', parameters: [{ ...entries[0], ...entry }] });
    expect(bad({})).toBe(true);
    expect(bad({ name: 'Has Space' })).toBe(false);
    expect(bad({ ua: 'xx' as never })).toBe(false);
    expect(bad({ type: { kind: 'str' } as never })).toBe(false);
    expect(bad({ tr069: { path: 'Device.X', codec: 'hostPort', confirmed: false } })).toBe(false);
    expect(bad({ tr069: { path: 'Device.X', codec: 'string', confirmed: true as never } })).toBe(false);
  });

  it('holds every element of the sample profile plus the supplements, once each', () => {
    const fromSample = entries.filter((e) => e.source.startsWith('001 L') && !e.fixes?.some((f) => f.startsWith('not in the sample')));
    expect(fromSample).toHaveLength(1006);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    for (const e of entries) expect(e.name).toMatch(/^[A-Za-z][A-Za-z0-9_.-]*$/);
  });

  it('recovers canonical names from the damaged PDF text', () => {
    for (const name of [
      'Resync_At__HHmm_',
      'Set_Local_Date__mm_dd_yyyy_',
      'Set_Local_Time__HH_mm_',
      'Time_Offset__HH_mm_',
      'Session_Timer_m_',
      'Enable_802.1X_Authentication',
      'Enable_TR-069',
      'CWMP_V1.2_Support',
      'Line_Enable_1_',
      'Auth_Resync-Reboot_4_',
      'Dial_Plan_1_',
      'SIP_TOS_DiffServ_Value_1_',
      'Unit_1_Key_18_',
      'Cadence_1',
      'Resync_Trigger_1',
      'Log_Missed_Calls_for_EXT_1',
      'PSK_10',
      'Ring4',
      'Attn_Transfer_Serv',
      'AVT_Dynamic_Payload',
      'iLBC_30ms_Dynamic_Payload',
      'Password_1_',
      'BACKUP_ACS_Password',
      'GPP_SA',
      'IKM_HTTP_Encrypt_Content',
    ]) {
      expect(catalogue.get(name)?.name).toBe(name);
    }
    for (const wrong of ['Resync_At_HHmm', 'Rinq4', 'Cadence_1_', 'Resync_Trigger_1_', 'Line_Enable_1', 'avt_Dynamic_Payload']) {
      expect(catalogue.get(wrong)).toBeUndefined();
    }
  });

  it('marks passwords and keys secret and keeps no sample value for them', () => {
    for (const name of ['Admin_Password', 'User_Password', 'Password_1_', 'ACS_Password', 'PSK_Passphrase_2_', 'WEP_Key_3_', 'GPP_SD']) {
      const e = catalogue.get(name);
      expect(e?.secret).toBe(true);
      expect(e?.sample).toBeUndefined();
    }
    expect(catalogue.get('PSK_1')?.secret).toBeUndefined();
  });

  it('carries the sample values, options and guide-stated types', () => {
    expect(catalogue.get('Profile_Rule')?.sample).toBe('/$PSN-a.xml');
    expect(catalogue.get('Log_Request_Msg')?.sample).toBe('$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH');
    expect(catalogue.get('User_ID_1_')?.sample).toBe('4085263127');
    expect(catalogue.get('Enable_Protocol')?.type).toEqual({ kind: 'enum', options: ['Http', 'Https'] });
    expect(catalogue.get('Report_To_Server')?.type).toEqual({ kind: 'enum', options: ['On Request', 'On Local Change', 'Periodically'] });
    expect(catalogue.get('Periodic_Upload_To_Server')?.type).toEqual({ kind: 'uns', bits: 32, min: 600, max: 259200 });
    expect(catalogue.get('Resync_Periodic')?.typeSource).toBe('guide');
    expect(catalogue.get('SIP_Port_3_')?.type).toEqual({ kind: 'port', min: 1 });
    expect(catalogue.get('Off_Hook_Warning_Tone')?.sample).toBe('480@-10,620@0;10(.125/.125/1+2)');
  });
});

describe('every catalogue entry round-trips', () => {
  const mapper = new Tr069Mapper('CP-8851-3PCC');

  it.each(entries.map((e) => [e.name, e] as const))('%s', (_name, e) => {
    // Web-UI label -> XML name.
    expect(webNameToXmlName(e.webName, e.index)).toBe(e.name);

    // XML name <-> TR-069 path.
    const m = mapper.resolve(e.name);
    if (e.tr069) {
      const path = e.index === undefined ? e.tr069.path : instantiate(e.tr069.path, e.index);
      expect(m?.path).toBe(path);
      expect(path).not.toContain('{n}');
      expect(mapper.reverse(path)).toEqual({ name: e.name, part: 'value' });
    } else {
      expect(m).toBeUndefined();
    }

    // Sample value -> typed TR-069 value -> XML value, with the parameter's own mapping or,
    // for unmapped parameters, the conversion an operator override would use.
    const value = e.sample ?? '';
    expect(checkValue(e.type, value)).toBeUndefined();
    if (m) {
      const there = mapper.toParameterValues({ [e.name]: value });
      const back = mapper.fromParameterValues(there.parameterList);
      if (there.unmapped.length === 0) expect(back.values[e.name]).toBeDefined();
      if (back.values[e.name] !== undefined) {
        expect(checkValue(e.type, back.values[e.name])).toBeUndefined();
        expect(mapper.toParameterValues(back.values).parameterList).toEqual(there.parameterList);
      }
    } else {
      const spec = { codec: defaultCodec(e.type) };
      const typed = toTr069(e.name, spec, value);
      if (typed) {
        const xml = fromTr069(spec, typed.value);
        expect(xml).toBeDefined();
        expect(checkValue(e.type, xml as string)).toBeUndefined();
        expect(toTr069(e.name, spec, xml as string)).toEqual(typed);
      }
    }

    // Render -> parse keeps name, value, ua and the self-closing form.
    const entry = e.sample === undefined ? { name: e.name, value: '', ua: e.ua, selfClosing: true as const } : { name: e.name, value, ua: e.ua };
    expect(parseProfile(renderProfile([entry])).entries).toEqual([entry]);
  });

  it('renders the whole sample as one profile that parses back unchanged', () => {
    const all = entries.map((e) => (e.sample === undefined ? { name: e.name, value: '', ua: e.ua, selfClosing: true as const } : { name: e.name, value: e.sample, ua: e.ua }));
    const parsed = parseProfile(renderProfile(all, { device: true }));
    expect(parsed.entries).toEqual(all);
    expect(parsed.wrappers).toEqual(['device']);
  });
});
