import { useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api';
import { Field, FormAlert } from '../components/Field';
import { bytes } from '../lib/format';
import { checksumVerdict, progressPercent, storedName, uploadInputOf, uploadQuery, type UploadForm as Form } from '../lib/files';
import { formErrors, NO_ERRORS, type FormErrors } from '../lib/forms';
import { sha256Of, uploadFile, type StoredFile } from './upload';

type Stage = { step: 'idle' } | { step: 'hashing' } | { step: 'uploading'; loaded: number; total: number } | { step: 'stored'; file: StoredFile; local?: string };

const EMPTY: Form = { kind: 'firmware', productClasses: '', version: '', description: '' };

/**
 * Upload a firmware image, configuration or CA file: the browser computes its SHA-256 first,
 * the server refuses the upload unless the content it received has the same, and both are shown.
 */
export function UploadForm() {
  const queries = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const chooser = useRef<HTMLInputElement>(null);
  const set = (name: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = chooser.current?.files?.[0];
    if (!file) return setErrors({ fields: { file: 'choose a file to upload' }, general: ['Not uploaded: choose a file first.'] });
    setErrors(NO_ERRORS);
    setStage({ step: 'hashing' });
    try {
      const local = await sha256Of(file);
      setStage({ step: 'uploading', loaded: 0, total: file.size });
      const query = uploadQuery(storedName(file.name), form, local ?? '');
      if (!local) query.delete('sha256');
      const stored = await uploadFile(query, file, (loaded, total) => setStage({ step: 'uploading', loaded, total }));
      setStage({ step: 'stored', file: stored, ...(local ? { local } : {}) });
      void queries.invalidateQueries({ queryKey: ['files'] });
    } catch (err) {
      setStage({ step: 'idle' });
      setErrors(err instanceof ApiError ? formErrors(err.message, err.errors, uploadInputOf) : { fields: {}, general: [(err as Error).message] });
    }
  };

  const busy = stage.step === 'hashing' || stage.step === 'uploading';
  const f = errors.fields;
  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} aria-labelledby="upload-heading" noValidate>
      <h2 id="upload-heading">Upload a file</h2>
      <FormAlert messages={errors.general} />
      <div className="form-grid">
        <Field name="file" label="File" hint="firmware image (.loads, .zip), configuration (XML) or CA certificate (PEM)" error={f.file}>
          {(c) => <input {...c} ref={chooser} type="file" onChange={() => setStage({ step: 'idle' })} />}
        </Field>
        <Field name="kind" label="Kind" error={f.kind}>
          {(c) => (
            <select {...c} value={form.kind} onChange={set('kind')}>
              <option value="firmware">Firmware</option>
              <option value="configuration">Configuration</option>
              <option value="ca">CA certificate</option>
            </select>
          )}
        </Field>
        <Field name="productClass" label="Product classes" hint="comma-separated; empty: any device" error={f.productClass}>
          {(c) => <input {...c} value={form.productClasses} onChange={set('productClasses')} />}
        </Field>
        <Field name="version" label="Version" hint="firmware only: the SoftwareVersion it installs (read from a load name when empty)" error={f.version}>
          {(c) => <input {...c} value={form.version} onChange={set('version')} disabled={form.kind !== 'firmware'} />}
        </Field>
        <Field name="description" label="Description" error={f.description}>
          {(c) => <input {...c} value={form.description} onChange={set('description')} maxLength={1024} />}
        </Field>
      </div>
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {stage.step === 'hashing' ? 'Computing the checksum…' : stage.step === 'uploading' ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {stage.step === 'uploading' && (
        <p className="inline">
          <progress max={100} value={progressPercent(stage.loaded, stage.total)} aria-label="Upload progress" />
          <span role="status">{`${progressPercent(stage.loaded, stage.total)} % (${bytes(stage.loaded)} of ${bytes(stage.total)})`}</span>
        </p>
      )}
      {stage.step === 'stored' && <Stored file={stage.file} local={stage.local} />}
    </form>
  );
}

function Stored({ file, local }: { file: StoredFile; local?: string }) {
  const verdict = local ? checksumVerdict(local, file.sha256) : undefined;
  return (
    <div role="status" className="stored">
      <p>
        <progress max={100} value={100} aria-label="Upload progress" /> {`Stored ${file.filename} (${bytes(file.size)}).`}
      </p>
      <dl className="facts">
        <div>
          <dt>SHA-256 (server)</dt>
          <dd className="pvalue">{file.sha256}</dd>
        </div>
        <div>
          <dt>SHA-256 (this browser)</dt>
          <dd className="pvalue">{local ?? 'not computed: this browser offers SubtleCrypto only over HTTPS'}</dd>
        </div>
      </dl>
      {verdict && <p className={verdict === 'match' ? 'ok' : 'error'}>{verdict === 'match' ? 'The checksums match: the server stored exactly the file chosen.' : 'The checksums differ: delete this file and upload it again.'}</p>}
    </div>
  );
}
