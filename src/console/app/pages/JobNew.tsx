import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError, must } from '../api';
import { Field, FormAlert } from '../components/Field';
import { formErrors, NO_ERRORS, type FormErrors } from '../lib/forms';
import { formField, formFromQuery, formTarget, jobRequest, NEW_STEP, STEP_METHODS, VALUE_TYPES, type FieldErrors, type JobForm, type Step } from '../lib/jobs';
import { jobPath } from '../lib/pages';
import { Link, navigate } from '../router';
import { useSession } from '../session';

type Preview = { devices: number; sample: string[] };

/** The problems of a failed request, by form input: the form keeps what was typed. */
function refusal(err: unknown): FormErrors {
  return err instanceof ApiError ? formErrors(err.message, err.errors, formField) : { fields: {}, general: [(err as Error).message] };
}

const local = (fields: FieldErrors): FormErrors => ({ fields, general: [] });

export default function JobNew({ query }: { query: string }) {
  const { can } = useSession();
  const [form, setForm] = useState<JobForm>(() => formFromQuery(query));
  const [problems, setProblems] = useState<FormErrors>(NO_ERRORS);
  const errors = problems.fields;
  const [preview, setPreview] = useState<Preview | null>(null);

  const check = useMutation({
    mutationFn: (body: { target: never }) => must(api.POST('/jobs/preview', { body })),
    onSuccess: (p) => setPreview(p),
    onError: (err) => setProblems(refusal(err)),
  });
  const start = useMutation({
    mutationFn: (body: never) => must(api.POST('/jobs', { body })),
    onSuccess: (job) => navigate(jobPath(job.id)),
    onError: (err) => setProblems(refusal(err)),
  });

  if (!can('createJob')) {
    return (
      <>
        <h1>New job</h1>
        <p>Your role may look at jobs but not start them.</p>
      </>
    );
  }

  // Any edit of the target invalidates the preview: what starts is what was counted.
  const edit = (patch: Partial<JobForm>, targetChanged = false) => {
    setForm((f) => ({ ...f, ...patch }));
    if (targetChanged) setPreview(null);
  };
  const editStep = (i: number, patch: Partial<Step>) => edit({ steps: form.steps.map((s, k) => (k === i ? { ...s, ...patch } : s)) });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblems(NO_ERRORS);
    if (!preview) {
      const target = formTarget(form);
      if ('errors' in target) return setProblems(local(target.errors));
      return check.mutate({ target: target.target } as { target: never });
    }
    const request = jobRequest(form);
    if ('errors' in request) return setProblems(local(request.errors));
    start.mutate(request.body as never);
  };

  const busy = check.isPending || start.isPending;
  return (
    <>
      <p className="crumbs">
        <Link href="/jobs">Jobs</Link> / <span>New job</span>
      </p>
      <h1>New job</h1>
      <form className="job-form" onSubmit={submit} noValidate>
        <FormAlert messages={problems.general} />
        <Field name="name" label="Name (optional)" error={errors.name}>
          {(c) => <input {...c} value={form.name} maxLength={128} onChange={(e) => edit({ name: e.target.value })} />}
        </Field>

        <fieldset>
          <legend>Devices</legend>
          <div className="choices" role="radiogroup" aria-label="Which devices">
            {(
              [
                ['tag', 'A tag'],
                ['filter', 'A search filter'],
                ['deviceIds', 'Listed devices'],
              ] as const
            ).map(([kind, text]) => (
              <label key={kind}>
                <input type="radio" name="target-kind" value={kind} checked={form.targetKind === kind} onChange={() => edit({ targetKind: kind }, true)} />
                {text}
              </label>
            ))}
          </div>
          {form.targetKind === 'tag' && (
            <Field name="tag" label="Tag" error={errors.target}>
              {(c) => <input {...c} value={form.tag} onChange={(e) => edit({ tag: e.target.value }, true)} />}
            </Field>
          )}
          {form.targetKind === 'filter' && (
            <Field name="search" label="Search filter" error={errors.target} hint="As on the Devices page: tag:NAME, class:CP-8851-3PCC, version:12.0.1.">
              {(c) => <input {...c} value={form.search} onChange={(e) => edit({ search: e.target.value }, true)} />}
            </Field>
          )}
          {form.targetKind === 'deviceIds' && (
            <Field name="deviceIds" label="Device ids, one a line" error={errors.target}>
              {(c) => <textarea {...c} rows={4} value={form.deviceIds} onChange={(e) => edit({ deviceIds: e.target.value }, true)} />}
            </Field>
          )}
        </fieldset>

        <fieldset>
          <legend>RPC sequence, sent in this order to every device</legend>
          <ol className="steps">
            {form.steps.map((step, i) => (
              <li key={i}>
                <StepEditor step={step} index={i} error={errors[`rpcs.${i}`]} onChange={(patch) => editStep(i, patch)} />
                {form.steps.length > 1 && (
                  <button type="button" className="link" onClick={() => edit({ steps: form.steps.filter((_, k) => k !== i) })}>
                    {`Remove step ${i + 1}`}
                  </button>
                )}
              </li>
            ))}
          </ol>
          {errors.rpcs && (
            <p className="error" role="alert">
              {errors.rpcs}
            </p>
          )}
          {form.steps.length < 16 && (
            <button type="button" onClick={() => edit({ steps: [...form.steps, { ...NEW_STEP }] })}>
              Add a step
            </button>
          )}
        </fieldset>

        <fieldset>
          <legend>Pace</legend>
          <Field name="rate" label="Rate (devices released per second)" error={errors.rate}>
            {(c) => <input {...c} inputMode="decimal" value={form.rate} onChange={(e) => edit({ rate: e.target.value })} />}
          </Field>
          <Field name="waves" label="Waves (optional)" error={errors.waves} hint="Cumulative: 10%, 50% or 5, 20 devices. The job pauses after each wave until resumed.">
            {(c) => <input {...c} value={form.waves} onChange={(e) => edit({ waves: e.target.value })} />}
          </Field>
          <label className="check">
            <input type="checkbox" checked={form.connectionRequest} onChange={(e) => edit({ connectionRequest: e.target.checked })} />
            Wake each device with a connection request
          </label>
          <label className="check">
            <input type="checkbox" checked={form.paused} onChange={(e) => edit({ paused: e.target.checked })} />
            Create it paused (nothing is released until resumed)
          </label>
          {errors.connectionRequest && <p className="error" role="alert">{errors.connectionRequest}</p>}
          {errors.paused && <p className="error" role="alert">{errors.paused}</p>}
        </fieldset>

        {preview && (
          <p className="preview" role="status">
            {`This job will touch ${preview.devices} device${preview.devices === 1 ? '' : 's'}${preview.sample.length ? `, such as ${preview.sample.slice(0, 5).join(', ')}` : ''}.`}
          </p>
        )}
        <div className="buttons">
          <button type="submit" disabled={busy || (preview !== null && preview.devices === 0)}>
            {preview ? `Start the job on ${preview.devices} device${preview.devices === 1 ? '' : 's'}` : 'Preview the devices'}
          </button>
        </div>
      </form>
    </>
  );
}

function StepEditor({ step, index, error, onChange }: { step: Step; index: number; error?: string; onChange: (patch: Partial<Step>) => void }) {
  const id = `step-${index}`;
  const described = error ? `${id}-error` : undefined;
  return (
    <div className={`step${error ? ' invalid' : ''}`}>
      <label htmlFor={`${id}-method`}>{`Step ${index + 1}`}</label>
      <select id={`${id}-method`} value={step.method} onChange={(e) => onChange({ method: e.target.value as Step['method'] })} aria-describedby={described}>
        {STEP_METHODS.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      {(step.method === 'GetParameterValues' || step.method === 'SetParameterValues') && (
        <>
          <label htmlFor={`${id}-names`}>{step.method === 'GetParameterValues' ? 'Parameters' : 'Parameter'}</label>
          <input id={`${id}-names`} value={step.names} onChange={(e) => onChange({ names: e.target.value })} aria-describedby={described} aria-invalid={!!error} />
        </>
      )}
      {step.method === 'SetParameterValues' && (
        <>
          <label htmlFor={`${id}-value`}>Value</label>
          <input id={`${id}-value`} value={step.value} onChange={(e) => onChange({ value: e.target.value })} aria-describedby={described} aria-invalid={!!error} />
          <label htmlFor={`${id}-type`}>Type</label>
          <select id={`${id}-type`} value={step.type} onChange={(e) => onChange({ type: e.target.value as Step['type'] })}>
            {VALUE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </>
      )}
      {error && (
        <span id={`${id}-error`} className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
