/*
 * A minimal XML serializer for the envelopes we write: one element per line, two-space
 * indentation, text and attribute values escaped. Faster than xml2js's Builder by an order of
 * magnitude, which matters on the per-request path.
 */

const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const ESCAPED = /[&<>"\r]|[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' };

/**
 * Escapes text for element content or a double-quoted attribute. Characters XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so the output
 * is always well-formed. A carriage return is written as a reference so it survives parsing.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPED, (ch) => ENTITIES[ch] ?? '\ufffd');
}

const INDENTS = Array.from({ length: 16 }, (_, depth) => '  '.repeat(depth));

function indent(depth: number): string {
  return INDENTS[depth] ?? '  '.repeat(depth);
}

/** Attributes are passed pre-formatted (` name="value"`), values already escaped. */
export class XmlWriter {
  private out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  private depth = 0;

  open(name: string, attributes = ''): void {
    this.out += `${indent(this.depth)}<${name}${attributes}>\n`;
    this.depth += 1;
  }

  close(name: string): void {
    this.depth -= 1;
    this.out += `${indent(this.depth)}</${name}>\n`;
  }

  empty(name: string, attributes = ''): void {
    this.out += `${indent(this.depth)}<${name}${attributes}/>\n`;
  }

  /** An element holding only text (escaped here). */
  leaf(name: string, text: string, attributes = ''): void {
    this.out += `${indent(this.depth)}<${name}${attributes}>${escapeXml(text)}</${name}>\n`;
  }

  toString(): string {
    return this.out;
  }
}
