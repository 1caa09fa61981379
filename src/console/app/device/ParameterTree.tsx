import { memo, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import { Loaded } from '../components/Status';
import { age, parseEdited } from '../lib/format';
import { buildTree, filterTree, type ParamValue, type TreeNode } from '../lib/tree';
import { useSession } from '../session';
import { useQueueTask } from './hooks';

/** The learned parameter tree: expand on demand, filter, refresh a subtree, edit a value. */
export function ParameterTree({ deviceId }: { deviceId: string }) {
  const params = useQuery({
    queryKey: ['params', deviceId],
    queryFn: async () => (await must(api.GET('/devices/{id}', { params: { path: { id: deviceId } } }))).parameters ?? {},
  });
  const [filter, setFilter] = useState('');
  return (
    <section aria-labelledby="params-heading" className="panel">
      <h2 id="params-heading">Parameters</h2>
      <label htmlFor="param-filter">Filter parameters</label>
      <input id="param-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name or value" />
      <Loaded query={params} what="the parameters">
        {(p) => <Tree deviceId={deviceId} params={p as Record<string, ParamValue>} filter={filter} />}
      </Loaded>
    </section>
  );
}

function Tree({ deviceId, params, filter }: { deviceId: string; params: Record<string, ParamValue>; filter: string }) {
  const tree = useMemo(() => buildTree(params), [params]);
  const shown = useMemo(() => filterTree(tree, filter), [tree, filter]);
  const [open, setOpen] = useState<Set<string>>(() => new Set(tree.length === 1 ? [tree[0]!.path] : []));
  const toggle = (path: string) =>
    setOpen((now) => {
      const next = new Set(now);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  if (!tree.length) return <p>No parameters learned yet.</p>;
  const isOpen = (path: string) => open.has(path) || shown.open.has(path);
  return (
    <ul aria-label="Parameter tree" className="tree">
      {shown.nodes.map((n) => (
        <Branch key={n.path} node={n} deviceId={deviceId} isOpen={isOpen} toggle={toggle} />
      ))}
    </ul>
  );
}

/** Children beyond this many are shown page by page, so a huge object stays usable. */
const CHILDREN_SHOWN = 200;

const Branch = memo(function Branch({ node, deviceId, isOpen, toggle }: { node: TreeNode; deviceId: string; isOpen: (p: string) => boolean; toggle: (p: string) => void }) {
  const [limit, setLimit] = useState(CHILDREN_SHOWN);
  const expanded = node.children.length > 0 && isOpen(node.path);
  if (!node.children.length) return <Leaf node={node} deviceId={deviceId} />;
  return (
    <li>
      <div className="row">
        <button type="button" className="twisty" onClick={() => toggle(node.path)} aria-expanded={expanded} aria-label={node.path}>
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> {node.name}
        </button>
        <span className="muted">{`${node.leaves} parameter${node.leaves === 1 ? '' : 's'}`}</span>
        <RefreshButton deviceId={deviceId} path={node.path} />
      </div>
      {expanded && (
        <ul>
          {node.children.slice(0, limit).map((c) => (
            <Branch key={c.path} node={c} deviceId={deviceId} isOpen={isOpen} toggle={toggle} />
          ))}
          {node.children.length > limit && (
            <li>
              <button type="button" className="link" onClick={() => setLimit(limit + CHILDREN_SHOWN)}>
                {`Show more (${node.children.length - limit} left)`}
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
});

function Leaf({ node, deviceId }: { node: TreeNode; deviceId: string }) {
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const p = node.param ?? {};
  return (
    <li>
      <div className="row leaf">
        <span className="pname" title={node.path}>
          {node.name}
        </span>
        <span className="pvalue">{p.value === undefined ? '' : String(p.value)}</span>
        <span className="muted">{`${p.type ?? ''} · ${p.writable ? 'writable' : 'read-only'} · ${age(p.updatedAt)}`}</span>
        <RefreshButton deviceId={deviceId} path={node.path} />
        {p.writable && can('createTask') && !editing && (
          <button type="button" className="small" onClick={() => setEditing(true)} aria-label={`Edit ${node.path}`}>
            Edit
          </button>
        )}
      </div>
      {editing && <EditValue deviceId={deviceId} path={node.path} param={p} done={() => setEditing(false)} />}
    </li>
  );
}

function RefreshButton({ deviceId, path }: { deviceId: string; path: string }) {
  const { can } = useSession();
  const queue = useQueueTask(deviceId);
  if (!can('createTask')) return null;
  return (
    <>
      <button type="button" className="small" disabled={queue.isPending} onClick={() => queue.mutate({ method: 'GetParameterValues', parameterNames: [path] })} aria-label={`Refresh ${path}`}>
        Refresh
      </button>
      {queue.isSuccess && <span role="status" className="muted">queued</span>}
      {queue.error && (
        <span role="alert" className="error">
          {queue.error.message}
        </span>
      )}
    </>
  );
}

function EditValue({ deviceId, path, param, done }: { deviceId: string; path: string; param: ParamValue; done: () => void }) {
  const queue = useQueueTask(deviceId);
  const [error, setError] = useState<string | null>(null);
  const id = `edit-${path}`;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = parseEdited(String(new FormData(e.currentTarget).get('value') ?? ''), param.type);
    if (typeof value === 'object') return setError(value.error);
    setError(null);
    queue.mutate({ method: 'SetParameterValues', parameterList: [{ name: path, value, ...(param.type ? { type: param.type as never } : {}) }] }, { onSuccess: done });
  };
  return (
    <form className="edit" onSubmit={submit}>
      <label htmlFor={id}>{`New value of ${path}`}</label>
      <input id={id} name="value" defaultValue={param.value === undefined ? '' : String(param.value)} autoFocus />
      <button type="submit" disabled={queue.isPending}>
        Set value
      </button>
      <button type="button" onClick={done}>
        Cancel
      </button>
      {(error ?? queue.error?.message) && (
        <span role="alert" className="error">
          {error ?? queue.error?.message}
        </span>
      )}
    </form>
  );
}
