import type { Command } from 'commander';
import { register as dhcp } from './dhcp';
import { register as migrate } from './migrate';
import { register as profile } from './profile';
import { register as serve } from './serve';
import { register as sim } from './sim';

/** Every `acs` verb registers itself here; order is the order shown in `acs --help`. */
export const commands: Array<(program: Command) => void> = [serve, migrate, profile, dhcp, sim];
