/**
 * Firmware policies per product class: the target load, the path to it (stages, downgrade
 * floor), maintenance windows, and staged rollouts that pause on their own when a wave fails.
 */
export { FirmwarePolicyStore, FirmwarePolicyError, rolloutState, FIRMWARE_POLICIES_COLLECTION } from './store';
export { nextHop, checkUpgradePath, type UpgradePath, type Hop } from './versions';
export { inWindow, checkWindows, WEEKDAYS, type MaintenanceWindow, type Weekday } from './windows';
export { waveCaps, waveSize, judgeWave, admittingWave, checkWaves, type PolicyProblem, type Wave, type WaveProgress, type RolloutRules, type RolloutState } from './waves';
export { rolloutId, type FirmwarePolicyDoc, type FirmwarePolicyInput, type DeviceFirmwareState, type FirmwareFileRef } from './types';
export { VersionHistory, intervalStart, VERSION_SNAPSHOTS_COLLECTION, type VersionSnapshotDoc } from './version-history';
