import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Koa from 'koa';
import { ObjectId } from 'mongodb';
import getRawBody from 'raw-body';
import { CaFileError, MAX_CA_FILE_BYTES, phoneCaFile } from '../../certs';
import { FileError, type FileInfo, type FileKind } from '../../files';
import { API_PREFIX } from '../openapi';
import { decodeCursor, toPage } from '../pagination';
import { notFound, ProblemError } from '../problem';
import { defineRoute, parameters, type RouteModule } from '../route';
import { ref } from '../schemas';
import { DataModelError, DesiredConfigError, DownloadFlowError, MappingOverrideError } from '../../provisioning';
import { UnknownDeviceError } from '../../tasks/repository';
import { cursorSchema, deviceIdSchema, limitSchema, NOT_FOUND, objectIdSchema } from './common';

interface UploadQuery {
  filename: string;
  kind: FileKind;
  productClass?: string[];
  version?: string;
  description?: string;
  sha256?: string;
}

interface ListQuery {
  kind?: FileKind;
  productClass?: string;
  limit: number;
  cursor?: string;
}

const fileIdParams = parameters({ fileId: objectIdSchema }, ['fileId']);
const fileSchema = { description: 'The file.', schema: ref('files', 'File') };

const KINDS: Record<number, string> = { 400: 'invalid-request', 404: 'not-found', 409: 'conflict', 413: 'too-large', 416: 'range', 422: 'unprocessable' };

/**
 * A refusal of the file service or of the provisioning modules as a problem document naming
 * what is wrong; anything else is left for the router to answer 500.
 */
export function asProblem(err: unknown): unknown {
  if (err instanceof FileError && err.field) {
    return new ProblemError(err.status, KINDS[err.status] ?? 'invalid-request', err.message, [{ in: 'query', field: err.field, message: err.message }]);
  }
  if (err instanceof FileError || err instanceof DownloadFlowError || err instanceof DataModelError) {
    return new ProblemError(err.status, KINDS[err.status] ?? 'invalid-request', err.message);
  }
  if (err instanceof DesiredConfigError) {
    return new ProblemError(400, 'invalid-parameters', err.message, err.issues.map((i) => ({ in: 'body' as const, field: i.name, message: i.message })));
  }
  if (err instanceof MappingOverrideError) return new ProblemError(400, 'invalid-mapping', err.message);
  if (err instanceof UnknownDeviceError) return notFound(`device ${err.deviceId}`);
  return err;
}

interface PageQuery {
  limit: number;
  cursor?: string;
}
const pageQuery = parameters({ limit: limitSchema, cursor: cursorSchema });
const transferPageSchema = { description: 'A page of transfers.', schema: ref('files', 'TransferPage') };

/**
 * A CA file's content as phones take it, or a problem naming what is wrong: read whole (it is
 * small), checked against `sha256` as sent, then checked and converted (certs/ca-file.ts).
 */
async function caFileContent(koa: Koa.Context, sha256: string | undefined): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await getRawBody(koa.req, { limit: MAX_CA_FILE_BYTES, length: koa.get('Content-Length') || undefined });
  } catch (err) {
    const e = err as { type?: string; received?: number };
    // The connection stays open: Node reads and drops the rest of the body (the handler's own
    // check already refused, and closed on, anything over ACS_FS_MAX_FILE), so the client reads
    // this answer instead of a reset.
    if (e.type === 'entity.too.large') throw new ProblemError(413, 'too-large', `a CA file has at most ${MAX_CA_FILE_BYTES} bytes`);
    throw new ProblemError(400, 'invalid-request', `upload truncated: ${e.received ?? 0} of the ${koa.get('Content-Length') || '?'} bytes announced arrived`);
  }
  const sent = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== undefined && sent !== sha256.toLowerCase()) throw new ProblemError(400, 'invalid-request', `content SHA-256 ${sent} does not match the expected ${sha256.toLowerCase()}`);
  try {
    return Buffer.from(phoneCaFile(bytes).pem);
  } catch (err) {
    if (err instanceof CaFileError) throw new ProblemError(422, 'invalid-ca-file', err.message, [{ in: 'body', field: '', message: `${err.part}: ${err.message}` }]);
    throw err;
  }
}

/** Files for devices: upload (streamed into GridFS), list, metadata, content, delete; the transfer log. */
export const fileRoutes: RouteModule = (s) => {
  const { files } = s;
  /** A page of the transfer log, newest first. */
  const transferPage = async (where: { deviceId: string } | { fileId: string }, query: PageQuery) => {
    let before: ObjectId | undefined;
    if (query.cursor) {
      const last = decodeCursor(query.cursor, ['string'])[0] as string;
      if (!ObjectId.isValid(last)) throw new ProblemError(400, 'invalid-request', 'query parameter "cursor" is not a cursor this API issued', [{ in: 'query', field: 'cursor', message: 'is not a cursor this API issued' }]);
      before = new ObjectId(last);
    }
    const rows = await s.transfers.page(where, query.limit + 1, before);
    return toPage(rows, query.limit, ({ _id, ...entry }) => entry, (r) => [r._id.toHexString()]);
  };
  return [
    defineRoute<Record<string, never>, UploadQuery>({
      method: 'POST',
      path: '/files',
      operationId: 'uploadFile',
      summary: 'Upload a firmware image, configuration or CA file',
      description:
        'The body is the file itself; what it is goes in the query. Its SHA-256 is computed while it streams into storage; with `sha256` the upload is refused unless it matches. A truncated upload (fewer bytes than Content-Length, or a connection cut) stores nothing. A `ca` file (PEM or DER, at most 64 KiB) must hold CA certificates only (basicConstraints CA:TRUE), each valid now, and no private key; it is stored as the PEM phones take (the `sha256` query checks what was sent, the stored `sha256` is of the PEM); otherwise 422 names the certificate and the problem.',
      tag: 'files',
      role: 'operator',
      audit: 'file.upload',
      query: parameters(
        {
          filename: ref('files', 'FileName'),
          kind: ref('files', 'FileKind'),
          productClass: { type: 'array', maxItems: 100, items: ref('files', 'ProductClass') },
          version: ref('files', 'FileVersion'),
          description: { type: 'string', maxLength: 1024 },
          sha256: ref('files', 'Sha256'),
        },
        ['filename', 'kind'],
      ),
      body: { stream: true, contentTypes: ['application/octet-stream'], description: 'The file content.' },
      responses: {
        201: { description: 'Stored.', schema: ref('files', 'File') },
        413: { description: 'Larger than ACS_FS_MAX_FILE (a CA file: 64 KiB).' },
        422: { description: 'A CA file that phones could not use (not a CA, expired, a private key inside, unreadable).' },
      },
      async handle({ query, actor, koa }) {
        const length = koa.request.length;
        if (length !== undefined && length > s.config.fs.maxFileBytes) {
          throw new ProblemError(413, 'too-large', `file of ${length} bytes is larger than the limit of ${s.config.fs.maxFileBytes} bytes`, undefined, { Connection: 'close' });
        }
        const ca = query.kind === 'ca' ? await caFileContent(koa, query.sha256) : undefined;
        let info: FileInfo;
        try {
          info = await files.upload(ca ? Readable.from([ca]) : koa.req, {
            filename: query.filename,
            kind: query.kind,
            productClasses: query.productClass ?? [],
            uploadedBy: actor.name,
            ...(query.version !== undefined ? { version: query.version } : {}),
            ...(query.description !== undefined ? { description: query.description } : {}),
            ...(query.sha256 !== undefined && !ca ? { expectedSha256: query.sha256 } : {}),
            ...(length !== undefined && !ca ? { expectedSize: length } : {}),
          });
        } catch (err) {
          throw asProblem(err);
        }
        return {
          status: 201,
          headers: { Location: `${API_PREFIX}/files/${info.id}` },
          body: info,
          audit: { target: info.id, details: { filename: info.filename, kind: info.kind, size: info.size, sha256: info.sha256 } },
        };
      },
    }),

    defineRoute<Record<string, never>, ListQuery>({
      method: 'GET',
      path: '/files',
      operationId: 'listFiles',
      summary: 'Stored files, newest first',
      tag: 'files',
      role: 'viewer',
      query: parameters({ kind: ref('files', 'FileKind'), productClass: ref('files', 'ProductClass'), limit: limitSchema, cursor: cursorSchema }),
      responses: { 200: { description: 'A page of files.', schema: ref('files', 'FilePage') } },
      async handle({ query }) {
        const all = await files.list({ kind: query.kind, productClass: query.productClass });
        const after = query.cursor ? (decodeCursor(query.cursor, ['string'])[0] as string) : undefined;
        const rows = (after ? all.filter((f) => f.id < after) : all).sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, query.limit + 1);
        return { body: toPage(rows, query.limit, (f) => f, (f) => [f.id]) };
      },
    }),

    defineRoute<{ fileId: string }>({
      method: 'GET',
      path: '/files/{fileId}',
      operationId: 'getFile',
      summary: 'One file',
      tag: 'files',
      role: 'viewer',
      params: fileIdParams,
      responses: { 200: fileSchema, 404: NOT_FOUND },
      async handle({ params }) {
        const file = await files.get(params.fileId);
        if (!file) throw notFound(`file ${params.fileId}`);
        return { body: file };
      },
    }),

    defineRoute<{ fileId: string }>({
      method: 'GET',
      path: '/files/{fileId}/content',
      operationId: 'getFileContent',
      summary: "A file's content",
      tag: 'files',
      role: 'operator',
      params: fileIdParams,
      responses: { 200: { description: 'The content.', contentType: 'application/octet-stream' }, 404: NOT_FOUND },
      async handle({ params }) {
        const file = await files.get(params.fileId);
        if (!file) throw notFound(`file ${params.fileId}`);
        return {
          body: files.open(file),
          headers: { 'content-type': file.contentType, 'content-length': String(file.size), etag: `"${file.sha256}"`, 'content-disposition': `attachment; filename="${file.filename}"` },
        };
      },
    }),

    defineRoute<{ fileId: string }>({
      method: 'DELETE',
      path: '/files/{fileId}',
      operationId: 'deleteFile',
      summary: 'Delete a file',
      description: 'Download URLs made for it answer 404 from then on (the device reports 9016 on its task).',
      tag: 'files',
      role: 'operator',
      audit: 'file.delete',
      params: fileIdParams,
      responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND },
      async handle({ params }) {
        if (!(await files.delete(params.fileId))) throw notFound(`file ${params.fileId}`);
        return {};
      },
    }),

    defineRoute<{ id: string }, PageQuery>({
      method: 'GET',
      path: '/devices/{id}/transfers',
      operationId: 'listDeviceTransfers',
      summary: "The device's requests to the file service (downloads and reports), newest first",
      tag: 'files',
      role: 'viewer',
      params: parameters({ id: deviceIdSchema }, ['id']),
      query: pageQuery,
      responses: { 200: transferPageSchema },
      handle: async ({ params, query }) => ({ body: await transferPage({ deviceId: params.id }, query) }),
    }),

    defineRoute<{ fileId: string }, PageQuery>({
      method: 'GET',
      path: '/files/{fileId}/transfers',
      operationId: 'listFileTransfers',
      summary: 'Who fetched this file from the file service, and how each request ended, newest first',
      description: 'Kept for a deleted file too, so what was downloaded before the delete stays visible.',
      tag: 'files',
      role: 'viewer',
      params: fileIdParams,
      query: pageQuery,
      responses: { 200: transferPageSchema },
      handle: async ({ params, query }) => ({ body: await transferPage({ fileId: params.fileId }, query) }),
    }),
  ];
};
