import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, must } from '../api';
import {
  bodyOf,
  fieldErrors,
  hasErrors,
  LIST_FIELDS,
  LIST_LABELS,
  NO_ERRORS,
  rowsOf,
  selectorOf,
  type FieldErrors,
  type ParameterRow,
  type ProfileForm,
  type SelectorField,
} from '../lib/profiles';
import { NameSuggestions, TypeHint, useCatalogue, useDebounced, type CatalogueHit } from './catalogue';
import { described, Errors, Field } from './fields';
import { MatchPreview } from './MatchPreview';

const NAMES_LIST = 'catalogue-names';
const SELECTOR_LABELS: Record<SelectorField, string> = { ...LIST_LABELS, softwareMin: 'Software at least', softwareBelow: 'Software below' };

function asErrors(err: unknown, form: ProfileForm, rowKeys: number[]): FieldErrors {
  if (err instanceof ApiError) return fieldErrors(form, rowKeys, err.errors, err.detail);
  return { ...NO_ERRORS, other: [(err as Error).message] };
}

/**
 * Creating or editing a profile. While the operator types, the form is checked by the API's
 * own validation (POST /profiles/validate) and every refusal shows next to the field it
 * names; a refused save shows the same way and leaves the form as it was.
 */
export function ProfileEditor({ initial, revision, onSaved }: { initial: ProfileForm; revision?: number; onSaved: (name: string, revision: number) => void }) {
  const queries = useQueryClient();
  const catalogue = useCatalogue();
  const [form, setForm] = useState(initial);
  const [saveErrors, setSaveErrors] = useState<FieldErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const [focused, setFocused] = useState('');
  const [imported, setImported] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const creating = revision === undefined;

  const update = (change: (f: ProfileForm) => ProfileForm) => {
    setForm(change);
    setSaveErrors(null);
  };
  const setRow = (key: number, patch: Partial<ParameterRow>) => update((f) => ({ ...f, rows: f.rows.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));

  const settled = useDebounced(form, 400);
  const checked = useMemo(() => bodyOf(settled), [settled]);
  const validation = useQuery({
    queryKey: ['profile-validate', checked.body],
    queryFn: () => must(api.POST('/profiles/validate', { body: checked.body })),
    enabled: checked.body.name !== '',
    retry: false,
    staleTime: Infinity,
  });
  const errors = saveErrors ?? (validation.error ? asErrors(validation.error, settled, checked.rowKeys) : NO_ERRORS);
  const selector = useMemo(() => selectorOf(form.match), [form.match]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { body, rowKeys } = bodyOf(form);
    setSaving(true);
    try {
      const { name, ...rest } = body;
      const saved = creating ? await must(api.POST('/profiles', { body })) : await must(api.PUT('/profiles/{name}', { params: { path: { name } }, body: { ...rest, ifRevision: revision } }));
      await Promise.all(['profiles', 'profile', 'profile-revisions', 'profile-conflicts'].map((k) => queries.invalidateQueries({ queryKey: [k] })));
      onSaved(saved.profile.name, saved.profile.revision);
    } catch (err) {
      setSaveErrors(asErrors(err, form, rowKeys));
    } finally {
      setSaving(false);
    }
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setImported(null);
    setImportError(null);
    try {
      const preview = await must(api.POST('/profiles/import/preview', { body: { xml: await file.text() } }));
      update((f) => ({ ...f, rows: rowsOf(preview.parameters, f.nextKey), nextKey: f.nextKey + preview.parameters.length }));
      setImported(`${preview.parameters.length} parameters read from ${file.name}; check them, then save.`);
    } catch (err) {
      // the form stays as it was
      setImportError(`${file.name}: ${(err as Error).message}`);
    }
  };

  const addRow = () => update((f) => ({ ...f, rows: [...f.rows, { key: f.nextKey, name: '', value: '', ua: '', keep: false, secret: false }], nextKey: f.nextKey + 1 }));

  return (
    <form className="profile-form" onSubmit={(e) => void save(e)} aria-labelledby="edit-heading" noValidate>
      <h2 id="edit-heading">{creating ? 'Definition' : `Edit (revision ${revision})`}</h2>
      <div className="form-grid">
        {creating && (
          <Field label="Name" id="profile-name" errors={errors.fields.name} hint="letters, digits, _ . -">
            <input id="profile-name" value={form.name} onChange={(e) => update((f) => ({ ...f, name: e.target.value }))} {...described('profile-name-error', errors.fields.name, 'profile-name-hint')} />
          </Field>
        )}
        <Field label="Precedence" id="profile-precedence" errors={errors.fields.precedence} hint="higher wins">
          <input id="profile-precedence" inputMode="numeric" value={form.precedence} onChange={(e) => update((f) => ({ ...f, precedence: e.target.value }))} {...described('profile-precedence-error', errors.fields.precedence, 'profile-precedence-hint')} />
        </Field>
        <Field label="Description" id="profile-description" errors={errors.fields.description}>
          <input id="profile-description" value={form.description} onChange={(e) => update((f) => ({ ...f, description: e.target.value }))} {...described('profile-description-error', errors.fields.description)} />
        </Field>
      </div>

      <fieldset aria-describedby={errors.fields.match?.length ? 'profile-match-error' : undefined}>
        <legend>Applies to (every field given must hold; lists separated by commas)</legend>
        <div className="form-grid">
          {[...LIST_FIELDS, 'softwareMin' as const, 'softwareBelow' as const].map((f) => (
            <Field key={f} label={SELECTOR_LABELS[f]} id={`match-${f}`} errors={errors.selector[f]}>
              <input id={`match-${f}`} value={form.match[f]} onChange={(e) => update((x) => ({ ...x, match: { ...x.match, [f]: e.target.value } }))} {...described(`match-${f}-error`, errors.selector[f])} />
            </Field>
          ))}
        </div>
        <Errors id="profile-match-error" messages={errors.fields.match} />
        <MatchPreview match={selector} />
      </fieldset>

      <fieldset>
        <legend>Parameters</legend>
        <div className="inline">
          <label htmlFor="profile-import">Import a Cisco XML file</label>
          <input id="profile-import" type="file" accept=".xml,.cfg,text/xml,application/xml" onChange={(e) => void importFile(e)} {...described('profile-import-error', importError ? [importError] : undefined)} />
          {imported && <span role="status">{imported}</span>}
          <Errors id="profile-import-error" messages={importError ? [importError] : undefined} />
        </div>
        <Errors id="profile-parameters-error" messages={errors.fields.parameters} />
        <NameSuggestions id={NAMES_LIST} text={focused} />
        {form.rows.length > 0 && (
          <table className="grid compact params-edit">
            <caption className="sr-only">Desired parameters</caption>
            <thead>
              <tr>
                <th scope="col">Parameter (XML name or TR-069 path)</th>
                <th scope="col">Value</th>
                <th scope="col">ua</th>
                <th scope="col">Phone keeps its value</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {form.rows.map((r, i) => (
                <Row key={r.key} row={r} position={i + 1} hit={catalogue?.get(r.name.trim())} errors={errors.rows[r.key]} onChange={(patch) => setRow(r.key, patch)} onFocusName={setFocused} onRemove={() => update((f) => ({ ...f, rows: f.rows.filter((x) => x.key !== r.key) }))} />
              ))}
            </tbody>
          </table>
        )}
        <button type="button" className="small" onClick={addRow}>
          Add parameter
        </button>
      </fieldset>

      <Errors id="profile-other-error" messages={errors.other} />
      {validation.data?.conflicts.length ? (
        <p className="warning">{`Saving leaves conflicts (devices matching both get neither value): ${validation.data.conflicts.map((c) => `${c.parameter} with ${c.profiles.find((p) => p !== form.name) ?? c.profiles[1]}`).join('; ')}.`}</p>
      ) : null}
      {validation.data?.renamed?.length ? <p className="hint">{`Stored under their XML names: ${validation.data.renamed.map((r) => `${r.given} → ${r.name}`).join(', ')}.`}</p> : null}
      <div className="buttons">
        <button type="submit" disabled={saving}>
          {creating ? 'Create profile' : 'Save profile'}
        </button>
        <span role="status" className="hint">
          {saving ? 'Saving…' : validation.isFetching ? 'Checking…' : checked.body.name && !hasErrors(errors) && validation.data ? 'The API accepts this profile.' : ''}
        </span>
      </div>
    </form>
  );
}

function Row({
  row,
  position,
  hit,
  errors,
  onChange,
  onFocusName,
  onRemove,
}: {
  row: ParameterRow;
  position: number;
  hit: CatalogueHit | undefined;
  errors: string[] | undefined;
  onChange: (patch: Partial<ParameterRow>) => void;
  onFocusName: (text: string) => void;
  onRemove: () => void;
}) {
  const id = `param-${row.key}`;
  const label = row.name.trim() || `parameter ${position}`;
  const options = hit?.type.options;
  return (
    <tr data-parameter={row.name} data-invalid={errors?.length ? true : undefined}>
      <td>
        <input
          aria-label={`Name of parameter ${position}`}
          list={NAMES_LIST}
          value={row.name}
          onFocus={(e) => onFocusName(e.target.value)}
          onChange={(e) => {
            onChange({ name: e.target.value, secret: false });
            onFocusName(e.target.value);
          }}
          {...described(`${id}-error`, errors, hit ? `${id}-hint` : undefined)}
        />
        <TypeHint hit={hit} id={`${id}-hint`} />
      </td>
      <td>
        <input
          aria-label={`Value of ${label}`}
          value={row.value}
          disabled={row.keep}
          placeholder={row.secret ? 'secret: left empty, it stays' : undefined}
          list={options ? `${id}-options` : undefined}
          onChange={(e) => onChange({ value: e.target.value })}
          {...described(`${id}-error`, errors, hit ? `${id}-hint` : undefined)}
        />
        {options && (
          <datalist id={`${id}-options`}>
            {options.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        )}
        <Errors id={`${id}-error`} messages={errors} />
      </td>
      <td>
        <select aria-label={`ua of ${label}`} value={row.ua} onChange={(e) => onChange({ ua: e.target.value as ParameterRow['ua'] })}>
          <option value="">—</option>
          <option value="na">na</option>
          <option value="ro">ro</option>
          <option value="rw">rw</option>
        </select>
      </td>
      <td>
        <input type="checkbox" aria-label={`Phone keeps its own ${label}`} checked={row.keep} onChange={(e) => onChange({ keep: e.target.checked, ...(e.target.checked ? { value: '' } : {}) })} />
      </td>
      <td>
        <button type="button" className="small" onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}
