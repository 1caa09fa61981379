import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, must } from '../api';
import { Field, FormAlert } from '../components/Field';
import { formErrors, NO_ERRORS, type FormErrors } from '../lib/forms';
import { policyInput, policyInputOf, type PolicyForm as Form, type PolicyInput } from '../lib/firmware';
import type { components } from '../generated/api';

/**
 * Create or edit a product class's policy. Saving starts a new rollout. A refusal puts each
 * message next to its input; what was typed stays.
 */
export function PolicyForm({ initial, editing, onDone }: { initial: Form; editing: boolean; onDone: (message: string) => void }) {
  const queries = useQueryClient();
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const firmware = useQuery({ queryKey: ['files', 'firmware'], queryFn: () => must(api.GET('/files', { params: { query: { kind: 'firmware', limit: 200 } } })) });
  const versions = [...new Set((firmware.data?.items ?? []).filter((f) => !form.productClass || !f.productClasses.length || f.productClasses.includes(form.productClass)).map((f) => f.version ?? ''))].filter(Boolean).sort();
  const save = useMutation({
    // The days of a window are checked by the API, which names a wrong one.
    mutationFn: (input: PolicyInput) => must(api.PUT('/firmware/policies/{productClass}', { params: { path: { productClass: form.productClass.trim() } }, body: input as components['schemas']['FirmwarePolicyInput'] })),
    onSuccess: (p) => {
      void queries.invalidateQueries({ queryKey: ['firmware'] });
      onDone(`Policy of ${p.productClass} saved (revision ${p.revision}); its rollout started with ${p.rollout.population} device${p.rollout.population === 1 ? '' : 's'} to upgrade.`);
    },
    onError: (err) => setErrors(err instanceof ApiError ? formErrors(err.message, err.errors, policyInputOf) : { fields: {}, general: [(err as Error).message] }),
  });
  const set = (name: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = policyInput(form);
    if ('errors' in parsed) return setErrors(parsed.errors);
    setErrors(NO_ERRORS);
    save.mutate(parsed.input);
  };
  const f = errors.fields;
  return (
    <form className="panel form" onSubmit={submit} aria-labelledby="policy-form-heading" noValidate>
      <h2 id="policy-form-heading">{editing ? `Edit the policy of ${form.productClass}` : 'New firmware policy'}</h2>
      <FormAlert messages={errors.general} />
      <div className="form-grid">
        <Field name="productClass" label="Product class" hint="e.g. CP-8851-3PCC" error={f.productClass}>
          {(c) => <input {...c} value={form.productClass} onChange={set('productClass')} readOnly={editing} required />}
        </Field>
        <Field name="target" label="Target load" hint="the SoftwareVersion every device ends on; an uploaded firmware file of it is needed" error={f.target}>
          {(c) => (
            <>
              <input {...c} value={form.target} onChange={set('target')} list="firmware-versions" required />
              <datalist id="firmware-versions">
                {versions.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field name="stages" label="Stepping stones" hint="loads a device below them installs first, comma-separated" error={f.stages}>
          {(c) => <input {...c} value={form.stages} onChange={set('stages')} list="firmware-versions" />}
        </Field>
        <Field name="floor" label="Downgrade floor" hint="no load below it is ever installed" error={f.floor}>
          {(c) => <input {...c} value={form.floor} onChange={set('floor')} list="firmware-versions" />}
        </Field>
        <Field name="windows" label="Maintenance windows" hint="one per line: [days@]HH:MM-HH:MM, e.g. sat,sun@01:00-05:00; none: any time" error={f.windows}>
          {(c) => <textarea {...c} value={form.windows} onChange={set('windows')} rows={3} />}
        </Field>
        <Field name="utcOffsetMinutes" label="UTC offset of the windows (minutes)" error={f.utcOffsetMinutes}>
          {(c) => <input {...c} value={form.utcOffsetMinutes} onChange={set('utcOffsetMinutes')} inputMode="numeric" />}
        </Field>
        <Field name="waves" label="Waves" hint="cumulative, comma-separated: 10%, 50%, 100% or device counts" error={f.waves}>
          {(c) => <input {...c} value={form.waves} onChange={set('waves')} />}
        </Field>
        <Field name="faultThreshold" label="Pause above this fault rate (%)" error={f.faultThreshold}>
          {(c) => <input {...c} value={form.faultThreshold} onChange={set('faultThreshold')} inputMode="decimal" />}
        </Field>
        <Field name="minResults" label="Results a wave needs before its fault rate counts" error={f.minResults}>
          {(c) => <input {...c} value={form.minResults} onChange={set('minResults')} inputMode="numeric" />}
        </Field>
        <Field name="soakSeconds" label="Soak time between waves (seconds)" error={f.soakSeconds}>
          {(c) => <input {...c} value={form.soakSeconds} onChange={set('soakSeconds')} inputMode="numeric" />}
        </Field>
      </div>
      <Field name="allowDowngrade" label="Downgrade devices above the target" error={f.allowDowngrade}>
        {(c) => <input {...c} type="checkbox" checked={form.allowDowngrade} onChange={(e) => setForm({ ...form, allowDowngrade: e.target.checked })} />}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : editing ? 'Save and restart the rollout' : 'Save and start the rollout'}
        </button>
        <button type="button" className="secondary" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}
