import { tftpFiles } from '../tftp/phone-files';
import { startTftpServer, type TftpServer } from '../tftp/server';
import type { Services, Stores } from './compose';
import type { AppContext } from './context';
import type { RunningRole } from './http';

/** What the tftp role works with, from the process's root (roles/compose.ts). */
export interface TftpDeps extends Pick<AppContext, 'config' | 'log'> {
  stores: Pick<Stores, 'files'>;
  services: Pick<Services, 'phoneService'>;
}

/**
 * Read-only TFTP for in-house provisioning (DHCP option 66/150 naming the ACS, 000 L306-311):
 * the phones' profiles under the phone channel's rules, and stored firmware by name.
 */
export async function startTftp(ctx: TftpDeps): Promise<RunningRole & { server: TftpServer }> {
  const { config } = ctx;
  const log = ctx.log.child({ role: 'tftp' });
  const service = await ctx.services.phoneService;
  const files = ctx.stores.files;
  const server = await startTftpServer({
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
  const host = config.bindAddress.includes(':') ? `[${config.bindAddress}]` : config.bindAddress;
  log.info({ port: server.port }, 'tftp listening (UDP)');
  return { name: 'tftp', url: `tftp://${host}:${server.port}`, server, close: () => server.close() };
}
