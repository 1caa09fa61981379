/**
 * Regenerates `schemas/cisco-catalogue.json` from the guides:
 *
 *   npm run build
 *   node dist/src/cisco/catalogue/regenerate.js --seeds ../shared/reference/seeds \
 *     [--out schemas/cisco-catalogue.json] [--check]
 *
 * The sample profile is read from the seed that holds "XML Open Format Sample"; every other
 * seed contributes clean names. `--check` compares instead of writing and exits 1 on a
 * difference. The review report (fix counts, ignored lines) goes to stderr.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractCatalogue } from './extract';

function main(): number {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      out: { type: 'string', default: 'schemas/cisco-catalogue.json' },
      check: { type: 'boolean', default: false },
    },
  });
  if (!values.seeds) {
    process.stderr.write('usage: regenerate --seeds DIR [--out FILE] [--check]\n');
    return 2;
  }
  const texts = readdirSync(values.seeds)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(values.seeds as string, f), 'utf8'));
  const sample = texts.find((t) => t.includes('XML Open Format Sample'));
  if (!sample) {
    process.stderr.write(`no seed in ${values.seeds} holds the XML Open Format Sample\n`);
    return 2;
  }
  const { catalogue, report } = extractCatalogue(
    sample,
    texts.filter((t) => t !== sample),
  );
  const json = `${JSON.stringify(catalogue, null, 2)}\n`;
  process.stderr.write(`${JSON.stringify({ parameters: catalogue.parameters.length, ...report }, null, 2)}\n`);
  if (values.check) {
    const current = readFileSync(values.out as string, 'utf8');
    if (current !== json) {
      process.stderr.write(`${values.out} differs from what the seeds give; regenerate it\n`);
      return 1;
    }
    return 0;
  }
  writeFileSync(values.out as string, json);
  return 0;
}

process.exitCode = main();
