import { applySchema, type Migration } from '../src/stores/migration';

/**
 * The console's firmware and files pages: the worker's software-version snapshots (`_id` = the
 * ISO start of the snapshot's interval, so a time range is an `_id` range), and the transfer
 * log read by file ("who downloaded this file").
 */
const migration: Migration = {
  id: 9,
  name: 'console-fleet',
  up: (db) => applySchema(db, 9),
};

export default migration;
