import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { PolicyForm } from '../firmware/PolicyForm';
import { Rollout } from '../firmware/Rollout';
import { VersionChart } from '../firmware/VersionChart';
import { EMPTY_POLICY_FORM, formOf, type PolicyForm as Form } from '../lib/firmware';
import { useSession } from '../session';

/** While a rollout runs its counters move: refetch often then, rarely otherwise. */
const LIVE_MS = 2000;
const IDLE_MS = 30_000;

export default function Firmware() {
  const { can } = useSession();
  const policies = useQuery({
    queryKey: ['firmware', 'policies'],
    queryFn: () => must(api.GET('/firmware/policies')),
    refetchInterval: (q) => (q.state.data?.items.some((p) => p.rollout.status === 'running') ? LIVE_MS : IDLE_MS),
  });
  const [editing, setEditing] = useState<{ form: Form; existing: boolean } | null>(null);
  const [saved, setSaved] = useState('');
  const canSet = can('setFirmwarePolicy');
  return (
    <>
      <h1>Firmware</h1>
      <p className="muted">A policy per product class: the target load, the path to it, when upgrades may start and how the rollout proceeds in waves. A wave failing more than its threshold pauses the rollout by itself.</p>
      {saved && <p role="status">{saved}</p>}
      {canSet && !editing && (
        <p>
          <button type="button" onClick={() => setEditing({ form: EMPTY_POLICY_FORM, existing: false })}>
            New policy
          </button>
        </p>
      )}
      {editing && (
        <PolicyForm
          key={editing.form.productClass || 'new'}
          initial={editing.form}
          editing={editing.existing}
          onDone={(message) => {
            setEditing(null);
            setSaved(message);
          }}
        />
      )}
      <Loaded query={policies} what="the firmware policies">
        {(list) =>
          list.items.length ? (
            <div className="device-grid">
              {list.items.map((p) => (
                <Rollout key={p.productClass} policy={p} onEdit={canSet ? () => setEditing({ form: formOf(p), existing: true }) : undefined} />
              ))}
            </div>
          ) : (
            <p>No firmware policy yet: devices keep the load they have.</p>
          )
        }
      </Loaded>
      <VersionChart />
    </>
  );
}
