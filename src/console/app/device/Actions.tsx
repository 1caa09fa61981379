import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, must } from '../api';
import { Confirm } from '../components/Confirm';
import { useSession } from '../session';
import { useQueueTask, type AcsRequest, type Device } from './hooks';

type Danger = { rpc: AcsRequest; title: string; confirm: string; text: string };

/** Wake, reboot, factory reset, push configuration, upgrade firmware; only what the role may do. */
export function Actions({ device }: { device: Device }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const queue = useQueueTask(device.id);
  const [danger, setDanger] = useState<Danger | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const download = useMutation({
    mutationFn: (body: { kind: 'configuration' | 'firmware'; fileId?: string }) => must(api.POST('/devices/{id}/cisco/downloads', { params: { path: { id: device.id } }, body: { ...body, connectionRequest: true } })),
    onSuccess: (_t, body) => {
      setDone(body.kind === 'firmware' ? 'Firmware upgrade queued.' : 'Configuration push queued.');
      return queries.invalidateQueries({ queryKey: ['tasks', device.id] });
    },
  });
  const canTask = can('createTask');
  const canDownload = can('queueCiscoDownload');
  if (!canTask && !canDownload) return null;
  const name = `${device.id}${device.deviceId.serialNumber ? ` (serial ${device.deviceId.serialNumber})` : ''}`;
  const run = (rpc: AcsRequest, what: string) => queue.mutate(rpc, { onSuccess: () => setDone(`${what} queued; the device is being woken.`) });
  const error = queue.error ?? download.error;
  return (
    <section aria-labelledby="actions-heading" className="panel actions">
      <h2 id="actions-heading">Actions</h2>
      <div className="buttons">
        {canTask && (
          <>
            <button type="button" onClick={() => run({ method: 'GetRPCMethods' }, 'Wake-up')} disabled={queue.isPending}>
              Wake now
            </button>
            <button type="button" onClick={() => setDanger({ rpc: { method: 'Reboot' }, title: `Reboot ${device.id}?`, confirm: 'Reboot', text: `The phone ${name} restarts; calls in progress are dropped.` })}>
              Reboot
            </button>
            <button type="button" className="danger" onClick={() => setDanger({ rpc: { method: 'FactoryReset' }, title: `Factory reset ${device.id}?`, confirm: 'Factory reset', text: `The phone ${name} loses its whole configuration and returns to factory defaults.` })}>
              Factory reset
            </button>
          </>
        )}
        {canDownload && (
          <button type="button" onClick={() => download.mutate({ kind: 'configuration' })} disabled={download.isPending}>
            Push configuration
          </button>
        )}
      </div>
      {canDownload && <Firmware device={device} onUpgrade={(fileId) => download.mutate({ kind: 'firmware', fileId })} busy={download.isPending} />}
      {done && !error && <p role="status">{done}</p>}
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      <Confirm
        open={danger !== null}
        title={danger?.title ?? ''}
        confirm={danger?.confirm ?? ''}
        onCancel={() => setDanger(null)}
        onConfirm={() => {
          if (danger) run(danger.rpc, danger.confirm);
          setDanger(null);
        }}
      >
        <p>{danger?.text}</p>
      </Confirm>
    </section>
  );
}

function Firmware({ device, onUpgrade, busy }: { device: Device; onUpgrade: (fileId: string) => void; busy: boolean }) {
  const productClass = device.deviceId.productClass;
  const files = useQuery({ queryKey: ['firmware-files', productClass], queryFn: () => must(api.GET('/files', { params: { query: { kind: 'firmware', ...(productClass ? { productClass } : {}), limit: 50 } } })) });
  const [fileId, setFileId] = useState('');
  const images = files.data?.items ?? [];
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (fileId) onUpgrade(fileId);
      }}
    >
      <label htmlFor="firmware-file">Firmware image</label>
      <select id="firmware-file" value={fileId} onChange={(e) => setFileId(e.target.value)} disabled={!images.length}>
        <option value="">{images.length ? 'Choose an image' : files.isPending ? 'Loading…' : 'No image uploaded for this model'}</option>
        {images.map((f) => (
          <option key={f.id} value={f.id}>{`${f.version ?? f.filename}${f.version === device.softwareVersion ? ' (installed)' : ''}`}</option>
        ))}
      </select>
      <button type="submit" disabled={!fileId || busy}>
        Upgrade firmware
      </button>
    </form>
  );
}
