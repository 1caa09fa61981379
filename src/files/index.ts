/**
 * Files for devices: GridFS storage (firmware, configuration, CA files), per-device signed
 * URLs that expire, the transfer log, and the fs role's HTTP app.
 *
 *   const files = new FileStore(db, maxBytes);
 *   const info = await files.upload(request, { filename: 'sip88xx.12-0-2MPP-1.loads', kind: 'firmware' });
 *   new UrlSigner(secret, publicFsUrl).fileUrl(info.id, info.filename, deviceId, expiresAt);
 */
export { FileStore, checkNewFile, BUCKET, type FileFilter } from './store';
export { UrlSigner, type SignedGrant, type SignedResource } from './signing';
export { TransferLog, TRANSFER_LOG, type TransferLogEntry } from './transfer-log';
export { FileError } from './errors';
export { versionOfLoadName } from './firmware';
export { createFsApp, type FsApp, type FsAppDeps } from './http/app';
export { FILE_KINDS, type FileInfo, type FileKind, type NewFile } from './types';
