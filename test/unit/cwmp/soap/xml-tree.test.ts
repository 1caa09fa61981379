import { CwmpDecodeError, type DecodeErrorKind } from '../../../../src/cwmp/soap';
import { child, childEntries, parseXml, textOf, type XmlNode } from '../../../../src/cwmp/soap/xml-tree';

/** The tree as plain data, prototypes aside. */
const tree = (xml: string, maxDepth = 32) => JSON.parse(JSON.stringify(parseXml(xml, maxDepth))) as unknown;

function kindOf(xml: string, maxDepth = 32): DecodeErrorKind {
  try {
    parseXml(xml, maxDepth);
  } catch (error) {
    if (error instanceof CwmpDecodeError) return error.kind;
    throw error;
  }
  throw new Error('parseXml accepted the document');
}

describe('the tree the decoder reads', () => {
  test('children in arrays by name, attributes under @, text-only elements as strings', () => {
    expect(tree('<r a="1" b:c="2"><x>one</x><y/><x>two</x><z q="3">t</z></r>')).toEqual({
      name: 'r',
      node: { '@': { a: '1', 'b:c': '2' }, x: ['one', 'two'], y: [''], z: [{ '@': { q: '3' }, '#text': 't' }] },
    });
  });

  test('text between children, whitespace included, is kept under #text; an empty element is ""', () => {
    expect(tree('<r>\n  <a>1</a>\n  <b></b>\n</r>')).toEqual({
      name: 'r',
      node: { '#text': '\n  \n  \n', a: ['1'], b: [''] },
    });
  });

  test('whitespace-only text is kept, with or without attributes', () => {
    expect(tree('<r><v> </v><w t="x">  </w><e t="x"/></r>')).toEqual({
      name: 'r',
      node: { v: [' '], w: [{ '@': { t: 'x' }, '#text': '  ' }], e: [{ '@': { t: 'x' } }] },
    });
  });

  test('CDATA, entities and comments join the surrounding text; an empty CDATA adds nothing', () => {
    expect(tree('<r><v>a<!-- c -->&lt;<![CDATA[<b>&amp;]]>z</v><e t="x"><![CDATA[]]></e></r>')).toEqual({
      name: 'r',
      node: { v: ['a<<b>&amp;z'], e: [{ '@': { t: 'x' } }] },
    });
  });

  test('objects have no prototype: an element named like an Object member is an ordinary child', () => {
    const { node } = parseXml('<r><constructor>1</constructor><__proto__>2</__proto__><toString/></r>', 32);
    expect(Object.getPrototypeOf(node)).toBeNull();
    expect(childEntries(node)).toEqual([
      ['constructor', '1'],
      ['__proto__', '2'],
      ['toString', ''],
    ]);
  });
});

describe('line ends, BOM and what surrounds the root', () => {
  test('a raw CRLF or lone CR in text reads as LF; an escaped CR is kept', () => {
    const { node } = parseXml('<r>\r\n<a>1\r\n2\r3</a><b>x&#13;\r\ny</b><c><![CDATA[p\r\nq]]></c></r>', 32);
    expect(textOf(child(node, 'a') as XmlNode)).toBe('1\n2\n3');
    expect(textOf(child(node, 'b') as XmlNode)).toBe('x\r\ny');
    expect(textOf(child(node, 'c') as XmlNode)).toBe('p\nq');
    expect((node as Record<string, unknown>)['#text']).toBe('\n');
  });

  test('a leading BOM is skipped, before an XML declaration or the root', () => {
    expect(tree('\uFEFF<?xml version="1.0" encoding="UTF-8"?><r>x</r>')).toEqual({ name: 'r', node: 'x' });
    expect(tree('\uFEFF<r>x</r>')).toEqual({ name: 'r', node: 'x' });
  });

  test('whitespace before the XML declaration is accepted, as it was', () => {
    expect(tree('\r\n  <?xml version="1.0"?>\n<r>x</r>\n')).toEqual({ name: 'r', node: 'x' });
    expect(tree('\uFEFF\n<?xml version="1.0"?><r>x</r>')).toEqual({ name: 'r', node: 'x' });
  });

  test('comments, processing instructions and whitespace around the root are fine', () => {
    expect(tree('<!-- a --><?pi x?>\n<r>x</r>\n<!-- b -->\n')).toEqual({ name: 'r', node: 'x' });
  });
});

describe('refusals', () => {
  test('nesting is checked as elements open: maxDepth levels pass, one more does not', () => {
    expect(tree('<a><b><c/></b></a>', 3)).toEqual({ name: 'a', node: { b: [{ c: [''] }] } });
    expect(kindOf('<a><b><c/></b></a>', 2)).toBe('too-deep');
    // Unclosed: refused at the opening tag, before the end of the document is seen.
    expect(kindOf(`<a>${'<b>'.repeat(40)}`, 32)).toBe('too-deep');
  });

  test.each([
    ['a DOCTYPE', '<!DOCTYPE r><r/>'],
    ['an ENTITY declaration in a comment', '<r><!-- <!ENTITY x "y"> --></r>'],
  ])('%s is refused as doctype', (_label, xml) => {
    expect(kindOf(xml)).toBe('doctype');
  });

  test.each([
    ['an empty document', ''],
    ['a BOM alone', '\uFEFF'],
    ['comments only', '<!-- x -->'],
    ['an unclosed element', '<r><a></r>'],
    ['an undefined entity', '<r>&x;</r>'],
    ['a control character in a name', '<r><a\u0001b/></r>'],
    ['"<" in an attribute value', '<r a="<"/>'],
    ['a character reference to NUL', '<r>&#0;</r>'],
    ['a duplicate attribute', '<r a="1" a="2"/>'],
    ['"]]>" in text', '<r>a]]>b</r>'],
    ['an XML declaration after a comment', '<!-- x --><?xml version="1.0"?><r/>'],
    ['text after the root element', '<r/>junk'],
    ['a second root element', '<r/><r/>'],
    ['CDATA after the root element', '<r/><![CDATA[x]]>'],
    ['an entity after the root element', '<r/>&amp;'],
  ])('%s is malformed', (_label, xml) => {
    expect(kindOf(xml)).toBe('malformed');
  });

  // A lone surrogate cannot come out of a UTF-8 body's decoding, so none is tried here.
  test('characters outside XML\'s Char production are read in text and attribute values, as sax did', () => {
    const { node } = parseXml('<r a="x\u0000y"><v>N\u0000\u0001\u001f</v><w>\ufffe\uffff</w><![CDATA[\u0002]]></r>', 32);
    expect(node).toMatchObject({ '@': { a: 'x\u0000y' }, v: ['N\u0000\u0001\u001f'], w: ['\ufffe\uffff'], '#text': '\u0002' });
  });

  test('an error message is one short line, the input clipped', () => {
    const long = 'X'.repeat(5000);
    try {
      parseXml(`<r><${long}></r>`, 32);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(CwmpDecodeError);
      expect((error as Error).message).toMatch(/^not well-formed XML: "/);
      expect((error as Error).message.length).toBeLessThan(100);
    }
  });
});
