import type { Command } from 'commander';

/** Every `acs` verb registers itself here; order is the order shown in `acs --help`. */
export const commands: Array<(program: Command) => void> = [];
