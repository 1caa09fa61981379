import { readFileSync } from 'node:fs';
import path from 'node:path';
import schema from '../../schemas/config.schema.json';

/** Rows of the README's configuration table: variable -> default column. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of readme.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]*) \|/gm)) rows.set(match[1], match[2].trim());
  return rows;
}

describe('README configuration table', () => {
  const table = readmeTable();
  const properties = schema.properties as Record<string, { default?: unknown }>;

  it.each(Object.keys(properties))('documents %s with its default', (name) => {
    expect(table.has(name)).toBe(true);
    const def = properties[name].default;
    expect(table.get(name)).toBe(def === undefined ? '(unset)' : `\`${String(def)}\``);
  });

  it('lists no variable the schema does not define', () => {
    expect([...table.keys()].filter((name) => !(name in properties))).toEqual([]);
  });
});
