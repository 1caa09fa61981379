import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { Actions } from '../device/Actions';
import { Faults, Tasks, Transfers } from '../device/Activity';
import { ParameterTree } from '../device/ParameterTree';
import { Provisioning } from '../device/Provisioning';
import { Sessions } from '../device/Sessions';
import type { Device } from '../device/hooks';
import { age, dateTime, onlineState } from '../lib/format';
import { LIVE_EVENTS, staleKeys } from '../lib/live';
import { Link } from '../router';

/** Refetches what an event from the server made stale; says whether the stream is up. */
function useLive(deviceId: string): 'live' | 'reconnecting' {
  const queries = useQueryClient();
  const [state, setState] = useState<'live' | 'reconnecting'>('reconnecting');
  useEffect(() => {
    const source = new EventSource(`/api/v1/events?deviceId=${encodeURIComponent(deviceId)}`, { withCredentials: true });
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    for (const event of LIVE_EVENTS) {
      source.addEventListener(event, () => {
        for (const key of staleKeys(event, deviceId)) void queries.invalidateQueries({ queryKey: key });
      });
    }
    return () => source.close();
  }, [deviceId, queries]);
  return state;
}

export default function DevicePage({ id }: { id: string }) {
  const device = useQuery({ queryKey: ['device', id], queryFn: () => must(api.GET('/devices/{id}', { params: { path: { id }, query: { fields: 'Device.DeviceInfo.UpTime' } } })) });
  const live = useLive(id);
  return (
    <>
      <p className="crumbs">
        <Link href="/devices">Devices</Link> / <span>{id}</span>
      </p>
      {/* Operators know a phone by its serial and model; the id (percent-encoded) is in the crumbs. */}
      <h1>{device.data?.deviceId.serialNumber ? `${device.data.deviceId.serialNumber} · ${device.data.deviceId.productClass ?? ''}` : id}</h1>
      <p className="muted" role="status">
        {live === 'live' ? 'Live: changes show as they happen.' : 'Live updates reconnecting…'}
      </p>
      <Loaded query={device} what="the device">
        {(d) => (
          <div className="device-grid">
            <Identity device={d} />
            <Actions device={d} />
            <Tasks deviceId={id} />
            <Faults deviceId={id} />
            <Sessions deviceId={id} />
            <ParameterTree deviceId={id} />
            <Provisioning deviceId={id} />
            <Transfers deviceId={id} />
          </div>
        )}
      </Loaded>
    </>
  );
}

function Identity({ device: d }: { device: Device }) {
  const state = onlineState(d.lastInformAt);
  const rows: [string, string][] = [
    ['Serial number', d.deviceId.serialNumber ?? '—'],
    ['Product class', d.deviceId.productClass ?? '—'],
    ['Manufacturer', `${d.deviceId.manufacturer ?? '—'} (OUI ${d.deviceId.oui ?? '—'})`],
    ['Software version', d.softwareVersion ?? '—'],
    ['Hardware version', d.hardwareVersion ?? '—'],
    ['Last Inform', d.lastInformAt ? `${age(d.lastInformAt)} (${dateTime(d.lastInformAt)})` : 'never'],
    ['Last events', (d.lastEvents ?? []).map((e) => e.eventCode).join(', ') || '—'],
    ['Last boot', dateTime(d.lastBootAt)],
    ['Registered', dateTime(d.registeredAt)],
    ['IP address', d.remoteAddress ?? '—'],
    ['Connection-request URL', d.connectionRequestUrl ?? '—'],
    ['Tags', d.tags.join(', ') || '—'],
    ['Queued tasks', String(d.queuedTasks.length)],
  ];
  return (
    <section aria-labelledby="identity-heading" className="panel">
      <h2 id="identity-heading">
        Identity and status <span className={`badge ${state.replace(' ', '-')}`}>{state}</span>
      </h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
