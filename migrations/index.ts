import type { Migration } from '../src/stores/migration';
import initial from './001-initial';

/** Every migration, in the order they apply. Append new ones; never edit or reorder applied ones. */
export const MIGRATIONS: readonly Migration[] = [initial];
