import { keepSecrets } from '../../../src/profiles/parameters';

describe('kept secrets', () => {
  const current = [
    { name: 'Admin_Password', value: 'hunter2', ua: 'na' as const },
    { name: 'User_Password', value: '', selfClosing: true as const },
  ];

  it('fills a secret sent back without its value from the profile it replaces', () => {
    const { parameters, problems } = keepSecrets([{ name: 'Admin_Password', secret: true }, { name: 'User_Password', secret: true }, { name: 'Station_Name', value: 'x' }], current);
    expect(problems).toEqual([]);
    expect(parameters).toEqual([{ name: 'Admin_Password', value: 'hunter2', ua: 'na' }, { name: 'User_Password', value: '', keep: true }, { name: 'Station_Name', value: 'x' }]);
  });

  it('a new value wins; a secret with nothing stored is a problem naming it', () => {
    expect(keepSecrets([{ name: 'Admin_Password', secret: true, value: 'new' }], current).parameters).toEqual([{ name: 'Admin_Password', secret: true, value: 'new' }]);
    const { problems } = keepSecrets([{ name: 'WEP_Key_1_', secret: true }], current);
    expect(problems).toEqual([{ name: 'WEP_Key_1_', code: 'form', message: 'WEP_Key_1_: no stored secret value to keep; give a value' }]);
    expect(keepSecrets([{ name: 'Admin_Password', secret: true }]).problems).toHaveLength(1);
  });
});
