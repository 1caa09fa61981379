/** A certificate serial number as compared: hex digits, upper case, no separators or leading zeros. */
export function normaliseSerial(serial: string): string {
  return serial.replace(/[\s:]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}
