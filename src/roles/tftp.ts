import { FileStore } from '../files';
import { tftpFiles } from '../tftp/phone-files';
import { startTftpServer, type TftpServer } from '../tftp/server';
import type { AppContext } from './context';
import type { RunningRole } from './http';
import { startPhoneService } from './phone-service';

/**
 * Read-only TFTP for in-house provisioning (DHCP option 66/150 naming the ACS, 000 L306-311):
 * the phones' profiles under the phone channel's rules, and stored firmware by name.
 */
export async function startTftp(ctx: AppContext): Promise<RunningRole & { server: TftpServer }> {
  const { config, db } = ctx;
  const log = ctx.log.child({ role: 'tftp' });
  const service = await startPhoneService(ctx, log);
  const files = new FileStore(db, config.fs.maxFileBytes);
  let server: TftpServer;
  try {
    server = await startTftpServer({
      host: config.bindAddress,
      ...config.tftp,
      resolve: tftpFiles({
        phones: service.phones,
        certificateRequired: !!config.fs.tls?.clientCaFile,
        firmware: async (name) => {
          const file = await files.byName(name, 'firmware');
          return file && { size: file.size, open: () => files.open(file) };
        },
      }),
      onTransfer: (t) => log.info({ event: 'tftp.transfer', ...t, filename: t.filename.slice(0, 200) }, 'tftp transfer'),
      log,
    });
  } catch (err) {
    await service.stop();
    throw err;
  }
  const host = config.bindAddress.includes(':') ? `[${config.bindAddress}]` : config.bindAddress;
  log.info({ port: server.port }, 'tftp listening (UDP)');
  return {
    name: 'tftp',
    url: `tftp://${host}:${server.port}`,
    server,
    close: async () => {
      await server.close();
      await service.stop();
    },
  };
}
