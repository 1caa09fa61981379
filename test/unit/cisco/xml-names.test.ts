import { xmlNameOf } from '../../../src/cisco/profile';

/**
 * S07 (cisco-seeds-digest §12): web-page labels and legacy names to XML element names by the
 * guides' rule, "substitute an underscore for every space or the special characters [,], (,),
 * or /" (001 L675-681; 003 L664-676), with the guides' own examples.
 */
describe('xmlNameOf', () => {
  it.each([
    ['Resync On Reset', 'Resync_On_Reset'], // 001 L677
    ['Resync At (HHmm)', 'Resync_At__HHmm_'], // 000 L527
    ['Set Local Date (mm/dd/yyyy)', 'Set_Local_Date__mm_dd_yyyy_'], // 001 L2748
    ['Dial Plan[1]', 'Dial_Plan_1_'], // 001 L681: [n] is the tab's number
    ['SIP_TOS/DiffServ_Value[1]', 'SIP_TOS_DiffServ_Value_1_'], // 003 L731, L2625
    ['Enable 802.1X Authentication', 'Enable_802.1X_Authentication'], // 001 L3123: the dot stays
  ])('%s -> %s', (given, name) => {
    expect(xmlNameOf(given)).toBe(name);
  });

  it('keeps XML names, and names the rule does not turn into a known one', () => {
    expect(xmlNameOf('Resync_On_Reset')).toBe('Resync_On_Reset');
    expect(xmlNameOf('Resync On Nothing')).toBe('Resync On Nothing');
  });
});
