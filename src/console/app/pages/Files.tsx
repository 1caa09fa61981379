import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { Pager } from '../components/Pager';
import { FileTransfers } from '../files/Transfers';
import { UploadForm } from '../files/UploadForm';
import type { StoredFile } from '../files/upload';
import type { FileKind } from '../lib/files';
import { bytes, dateTime } from '../lib/format';
import { FIRST_PAGE } from '../lib/paging';
import { useSession } from '../session';

const PAGE_SIZE = 50;
const KIND_NAMES: Record<FileKind, string> = { firmware: 'firmware', configuration: 'configuration', ca: 'CA certificate' };

export default function Files() {
  const { can } = useSession();
  const queries = useQueryClient();
  const [kind, setKind] = useState<FileKind | ''>('');
  const [trail, setTrail] = useState(FIRST_PAGE);
  const [shown, setShown] = useState<StoredFile | null>(null);
  const [doomed, setDoomed] = useState<StoredFile | null>(null);
  const [deleted, setDeleted] = useState('');
  const page = useQuery({
    queryKey: ['files', 'list', kind, trail.current],
    queryFn: () => must(api.GET('/files', { params: { query: { ...(kind ? { kind } : {}), limit: PAGE_SIZE, ...(trail.current ? { cursor: trail.current } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (f: StoredFile) => must(api.DELETE('/files/{fileId}', { params: { path: { fileId: f.id } } })),
    onSuccess: (_r, f) => {
      setDeleted(`Deleted ${f.filename}; download URLs made for it answer 404 from now on.`);
      if (shown?.id === f.id) setShown(null);
      return queries.invalidateQueries({ queryKey: ['files'] });
    },
  });
  const canDelete = can('deleteFile');
  return (
    <>
      <h1>Files</h1>
      {can('uploadFile') && <UploadForm />}
      <section aria-labelledby="files-heading" className="files-list">
        <h2 id="files-heading">Stored files</h2>
        <div className="inline">
          <label htmlFor="files-kind">Kind</label>
          <select
            id="files-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as FileKind | '');
              setTrail(FIRST_PAGE);
            }}
          >
            <option value="">All kinds</option>
            <option value="firmware">Firmware</option>
            <option value="configuration">Configuration</option>
            <option value="ca">CA certificates</option>
          </select>
        </div>
        {deleted && <p role="status">{deleted}</p>}
        {remove.error && (
          <p role="alert" className="error">
            {remove.error.message}
          </p>
        )}
        {page.error && (
          <p role="alert" className="error">
            {`Could not load the files: ${page.error.message}`}
          </p>
        )}
        <div className="table-wrap">
          <table className="grid files" aria-label="Stored files" aria-busy={page.isFetching}>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Kind</th>
                <th scope="col">Version</th>
                <th scope="col">Product classes</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">SHA-256</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(page.data?.items ?? []).map((f) => (
                <tr key={f.id} className={shown?.id === f.id ? 'chosen' : undefined}>
                  <td>{f.filename}</td>
                  <td>{KIND_NAMES[f.kind]}</td>
                  <td>{f.version ?? ''}</td>
                  <td>{f.productClasses.join(', ') || 'any'}</td>
                  <td className="num">{bytes(f.size)}</td>
                  <td className="pvalue sha">{f.sha256}</td>
                  <td>{`${dateTime(f.uploadedAt)}${f.uploadedBy ? ` by ${f.uploadedBy}` : ''}`}</td>
                  <td>
                    <span className="buttons">
                      <button type="button" className="small" onClick={() => setShown(f)} aria-label={`Downloads of ${f.filename}`}>
                        Downloads
                      </button>
                      {canDelete && (
                        <button type="button" className="small danger" onClick={() => setDoomed(f)} aria-label={`Delete ${f.filename}`}>
                          Delete
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data && !page.data.items.length && <p role="status">No file stored{kind ? ' of this kind' : ''}.</p>}
          {page.isPending && <p role="status">Loading the files…</p>}
        </div>
        <Pager label="Pages of files" trail={trail} onChange={setTrail} nextCursor={page.isPlaceholderData ? undefined : page.data?.nextCursor} />
      </section>
      {shown && <FileTransfers key={shown.id} fileId={shown.id} filename={shown.filename} />}
      <Confirm
        open={doomed !== null}
        title={`Delete ${doomed?.filename ?? ''}?`}
        confirm="Delete"
        onCancel={() => setDoomed(null)}
        onConfirm={() => {
          if (doomed) remove.mutate(doomed);
          setDoomed(null);
        }}
      >
        <p>{`Devices given a download URL for it get 404 (their task faults with 9016). ${doomed?.kind === 'firmware' ? 'A firmware policy whose target or stepping stone it is cannot upgrade devices to that load any more.' : ''}`}</p>
      </Confirm>
    </>
  );
}
