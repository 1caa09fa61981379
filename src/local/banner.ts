/**
 * The ready banner `acs serve` prints once every role listens: a few lines handed to it by
 * whoever has something to say (roles, stores, first-run credentials), framed so they stand
 * out from the log lines around them.
 */
export interface BannerSection {
  title: string;
  lines: string[];
}

export function formatBanner(heading: string, sections: BannerSection[]): string {
  const body = sections.filter((s) => s.lines.length).flatMap((s) => ['', `${s.title}:`, ...s.lines.map((l) => `  ${l}`)]);
  const rule = '-'.repeat(Math.min(72, Math.max(heading.length, ...body.map((l) => l.length))));
  return `${[rule, heading, ...body, rule].join('\n')}\n`;
}
