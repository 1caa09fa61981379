import { bodyOf, diffRevisions, emptyForm, fieldErrors, formOf, hasErrors, rowsOf, selectorOf, selectorSummary, splitList, type ProfileForm } from '../../../src/console/app/lib/profiles';
import { pageOf, profilePath } from '../../../src/console/app/lib/pages';

const saved = {
  name: 'office',
  description: 'Desk phones',
  precedence: 10,
  match: { productClasses: ['CP-8851-3PCC'], tags: ['lobby', 'floor2'], softwareVersion: { min: 'sip88xx.12-0-1MPP' } },
  parameters: [
    { name: 'Station_Name', value: 'Desk', ua: 'na' as const },
    { name: 'Admin_Password', secret: true as const },
    { name: 'Resync_Periodic', value: '', keep: true as const },
  ],
};

describe('profile form', () => {
  it('reads a saved profile into the form and back into the same body', () => {
    const form = formOf(saved);
    expect(form.match.tags).toBe('lobby, floor2');
    expect(form.rows.map((r) => r.secret)).toEqual([false, true, false]);
    const { body, rowKeys } = bodyOf(form);
    expect(body).toEqual({
      name: 'office',
      description: 'Desk phones',
      precedence: 10,
      match: saved.match,
      // the secret, never shown, goes back as "keep the stored one"
      parameters: [{ name: 'Station_Name', value: 'Desk', ua: 'na' }, { name: 'Admin_Password', secret: true }, { name: 'Resync_Periodic', keep: true }],
    });
    expect(rowKeys).toEqual([0, 1, 2]);
  });

  it('sends a typed secret, leaves blank rows out and keeps the row of each sent parameter', () => {
    const form = formOf(saved);
    form.rows[1]!.value = 'new-secret';
    form.rows.splice(1, 0, { key: 7, name: '', value: '', ua: '', keep: false, secret: false });
    const { body, rowKeys } = bodyOf(form);
    expect(body.parameters[1]).toEqual({ name: 'Admin_Password', value: 'new-secret' });
    expect(rowKeys).toEqual([0, 1, 2]);
  });

  it('sends a precedence that is no number for the API to refuse by name (no check of its own)', () => {
    const form = { ...emptyForm(), name: 'x', precedence: 'ten' };
    expect(JSON.parse(JSON.stringify(bodyOf(form).body)).precedence).toBeNull();
    expect(bodyOf({ ...form, precedence: '' }).body.precedence).toBeNaN();
  });

  it('splits lists on commas, spaces and new lines; drops empty selector fields', () => {
    expect(splitList(' a, b;c\n d ,, ')).toEqual(['a', 'b', 'c', 'd']);
    const match = { ...emptyForm().match, macs: '00:11:22:33:44:55', softwareBelow: ' sip88xx.12-0-1MPP ' };
    expect(selectorOf(match)).toEqual({ macs: ['00:11:22:33:44:55'], softwareVersion: { below: 'sip88xx.12-0-1MPP' } });
    expect(selectorOf(emptyForm().match)).toEqual({});
  });

  it('gives imported rows keys after the existing ones', () => {
    expect(rowsOf([{ name: 'A', value: '1' }], 5)).toEqual([{ key: 5, name: 'A', value: '1', ua: '', keep: false, secret: false }]);
  });
});

describe('API refusals on the form', () => {
  const form: ProfileForm = formOf({ ...saved, parameters: [{ name: 'SIP_Port_1_', value: '99999' }, { name: 'Not_A_Thing', value: '1' }, { name: 'SIP_Port_1_', value: '1' }] });

  it('puts a profile check on every row holding the parameter it names, and selector problems on the selector', () => {
    const e = fieldErrors(form, [0, 1, 2], [
      { field: 'SIP_Port_1_', message: 'SIP_Port_1_: Port 99999 out of range 1..65535' },
      { field: 'match', message: 'match.macs: "nope" is not valid' },
      { field: 'name', message: '"a b" is not a profile name' },
    ], 'profile refused');
    expect(e.rows).toEqual({ 0: ['SIP_Port_1_: Port 99999 out of range 1..65535'], 2: ['SIP_Port_1_: Port 99999 out of range 1..65535'] });
    expect(e.fields).toEqual({ name: ['"a b" is not a profile name'] });
    expect(e.selector).toEqual({ macs: ['match.macs: "nope" is not valid'] });
    expect(e.other).toEqual([]);
    expect(hasErrors(e)).toBe(true);
  });

  it('maps schema errors by position through the rows actually sent', () => {
    const e = fieldErrors(
      form,
      [0, 2],
      [
        { field: 'parameters.1.value', message: 'must be string' },
        { field: 'precedence', message: 'must be integer' },
        { field: 'match.ouis.0', message: 'must NOT have more than 6 characters' },
        { field: 'match', message: 'match.softwareVersion.below: "x" is not a firmware version' },
        { field: 'match', message: 'match.softwareVersion: min must be below `below`' },
        { field: 'match.planet', message: 'is not allowed (unknown field)' },
      ],
      'bad',
    );
    expect(e.rows).toEqual({ 2: ['value must be string'] });
    expect(e.selector).toEqual({ ouis: ['must NOT have more than 6 characters'], softwareBelow: ['match.softwareVersion.below: "x" is not a firmware version'] });
    // what names no single selector input stays on the selector as a whole
    expect(e.fields).toEqual({ precedence: ['must be integer'], match: ['match.softwareVersion: min must be below `below`', 'planet is not allowed (unknown field)'] });
  });

  it('keeps what names no field, and a refusal without fields, for the form as a whole', () => {
    expect(fieldErrors(form, [], [{ field: 'Gone_Param', message: 'unknown parameter' }], 'x').other).toEqual(['Gone_Param: unknown parameter']);
    expect(fieldErrors(form, [], [], 'profile office is at revision 4, not 3')).toEqual({ fields: {}, selector: {}, rows: {}, other: ['profile office is at revision 4, not 3'] });
  });
});

describe('revisions side by side', () => {
  it('shows settings, then parameters in the newer order, then those removed', () => {
    const older = { precedence: 10, match: { tags: ['lobby'] }, parameters: [{ name: 'A', value: '1' }, { name: 'B', value: 'x' }, { name: 'P', secret: true as const }] };
    const newer = { precedence: 20, description: 'd', match: { tags: ['lobby'] }, parameters: [{ name: 'C', value: '3', ua: 'rw' as const }, { name: 'A', value: '2' }, { name: 'P', secret: true as const }] };
    expect(diffRevisions(older, newer)).toEqual([
      { name: 'Precedence', left: '10', right: '20', status: 'changed' },
      { name: 'Description', left: '', right: 'd', status: 'changed' },
      { name: 'Applies to', left: 'tags lobby', right: 'tags lobby', status: 'same' },
      { name: 'C', right: '3 [ua=rw]', status: 'added' },
      { name: 'A', left: '1', right: '2', status: 'changed' },
      { name: 'P', left: '(secret)', right: '(secret)', status: 'same' },
      { name: 'B', left: 'x', status: 'removed' },
    ]);
  });

  it('summarises selectors in one line', () => {
    expect(selectorSummary({})).toBe('every device');
    expect(selectorSummary(saved.match)).toBe('product class CP-8851-3PCC · tags lobby, floor2 · software ≥ sip88xx.12-0-1MPP');
  });
});

describe('profile pages', () => {
  it('maps paths to the list, a new profile and one profile', () => {
    expect(pageOf('/profiles', '')).toEqual({ name: 'profiles' });
    expect(pageOf('/profiles/new', '')).toEqual({ name: 'new-profile' });
    expect(pageOf(profilePath('floor-2.a_b'), '')).toEqual({ name: 'profile', profile: 'floor-2.a_b' });
    expect(pageOf('/profiles/a%20b', '')).toEqual({ name: 'missing', path: '/profiles/a%20b' });
    expect(pageOf('/profiles/a/revisions', '')).toEqual({ name: 'missing', path: '/profiles/a/revisions' });
  });
});
