import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { connectMongo, migrate, redactMongoUrl, resolveStores } from '../../stores';

/** `acs migrate`: applies the migrations the database lacks (serve does the same at start). */
export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending MongoDB migrations (MONGODB_URL, or the local stores `npm start` runs)')
    .action(async () => {
      const config = loadConfig();
      const stores = await resolveStores({ local: false, config });
      const { client, db } = await connectMongo(stores.mongodbUrl);
      try {
        const { applied } = await migrate(db, (message) => process.stderr.write(`${message}\n`));
        const where = redactMongoUrl(stores.mongodbUrl);
        process.stdout.write(applied.length ? `applied to ${where}: ${applied.join(', ')}\n` : `${where} is up to date\n`);
      } finally {
        await client.close();
      }
    });
}
