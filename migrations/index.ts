import type { Migration } from '../src/stores/migration';
import initial from './001-initial';
import apiAndJobs from './002-api-and-jobs';
import filesAndProvisioning from './003-files-and-provisioning';
import profilesAndFirmware from './004-profiles-and-firmware';
import sessionTraces from './005-session-traces';
import consoleMigration from './006-console';
import syslog from './007-syslog';
import retailAccounts from './008-retail-accounts';
import consoleFleet from './009-console-fleet';
import deviceBootOrder from './010-device-boot-order';
import taskAnnouncements from './011-task-announcements';
import dropRedundantDeviceIndexes from './012-drop-redundant-device-indexes';

/** Every migration, in the order they apply. Append new ones; never edit or reorder applied ones. */
export const MIGRATIONS: readonly Migration[] = [initial, apiAndJobs, filesAndProvisioning, profilesAndFirmware, sessionTraces, consoleMigration, syslog, retailAccounts, consoleFleet, deviceBootOrder, taskAnnouncements, dropRedundantDeviceIndexes];
