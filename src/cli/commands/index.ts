import type { Command } from 'commander';
import { register as accounts } from './accounts';
import { register as audit } from './audit';
import { register as devices } from './devices';
import { register as dhcp } from './dhcp';
import { register as faults } from './faults';
import { register as files } from './files';
import { register as firmware } from './firmware';
import { register as jobs } from './jobs';
import { register as migrate } from './migrate';
import { register as profile } from './profile';
import { register as profiles } from './profiles';
import { register as serve } from './serve';
import { register as sim } from './sim';
import { register as tasks } from './tasks';
import { register as token } from './token';
import { register as user } from './user';

/** Every `acs` verb registers itself here; order is the order shown in `acs --help`. */
export const commands: Array<(program: Command) => void> = [serve, migrate, token, user, devices, tasks, faults, jobs, files, profile, profiles, firmware, audit, dhcp, sim, accounts];
