import { useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type RowSelectionState } from '@tanstack/react-table';
import { api, must } from '../api';
import { age, onlineState } from '../lib/format';
import { Pager } from '../components/Pager';
import { eachLimited, FIRST_PAGE, sortDirection, toggleSort, type DeviceSort, type SortColumn } from '../lib/paging';
import { newJobLink } from '../lib/jobs';
import { parseSearch } from '../lib/search';
import { devicePath, Link, navigate } from '../router';
import { useSession } from '../session';
import type { components } from '../generated/api';

type Device = components['schemas']['Device'];

const PAGE_SIZE = 50;
const column = createColumnHelper<Device>();

export default function Devices({ initialSearch }: { initialSearch: string }) {
  const { can } = useSession();
  const queries = useQueryClient();
  const [text, setText] = useState(initialSearch);
  const [search, setSearch] = useState(initialSearch);
  const [sort, setSort] = useState<DeviceSort>('id');
  const [trail, setTrail] = useState(FIRST_PAGE);
  const [selected, setSelected] = useState<RowSelectionState>({});
  const [tagResult, setTagResult] = useState<string | null>(null);
  const canTag = can('tagDevice');

  const filters = useMemo(() => parseSearch(search), [search]);
  const page = useQuery({
    queryKey: ['devices', filters, sort, trail.current],
    queryFn: () => must(api.GET('/devices', { params: { query: { ...filters, sort, limit: PAGE_SIZE, cursor: trail.current } } })),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(
    () => [
      ...(canTag
        ? [
            column.display({
              id: 'select',
              header: ({ table }) => <input type="checkbox" aria-label="Select every device on this page" checked={table.getIsAllRowsSelected()} ref={(el) => void (el && (el.indeterminate = table.getIsSomeRowsSelected()))} onChange={table.getToggleAllRowsSelectedHandler()} />,
              cell: ({ row }) => <input type="checkbox" aria-label={`Select ${row.original.id}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />,
            }),
          ]
        : []),
      column.accessor('id', { header: 'Device', cell: (c) => <Link href={devicePath(c.getValue())}>{c.getValue()}</Link>, meta: { sort: 'id' } }),
      column.accessor((d) => d.deviceId.serialNumber ?? '', { id: 'serial', header: 'Serial number' }),
      column.accessor((d) => d.deviceId.productClass ?? '', { id: 'productClass', header: 'Product class' }),
      column.accessor((d) => d.softwareVersion ?? '', { id: 'softwareVersion', header: 'Software' }),
      column.accessor((d) => d.remoteAddress ?? '', { id: 'ip', header: 'IP address' }),
      column.accessor('lastInformAt', { header: 'Last Inform', cell: (c) => <span title={c.getValue() ?? ''}>{`${age(c.getValue())} · ${onlineState(c.getValue())}`}</span>, meta: { sort: 'lastInformAt' } }),
      column.accessor('registeredAt', { header: 'Registered', cell: (c) => age(c.getValue()), meta: { sort: 'registeredAt' } }),
      column.accessor((d) => d.tags.join(', '), { id: 'tags', header: 'Tags' }),
    ],
    [canTag],
  );

  const table = useReactTable({
    data: page.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (d) => d.id,
    manualSorting: true,
    manualPagination: true,
    enableRowSelection: canTag,
    state: { rowSelection: selected },
    onRowSelectionChange: setSelected,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch(text);
    setTrail(FIRST_PAGE);
    setSelected({});
    navigate(text ? `/devices?q=${encodeURIComponent(text)}` : '/devices', true);
  };

  const chosen = Object.keys(selected).filter((id) => selected[id]);
  const tag = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('tag') ?? '').trim();
    const remove = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'remove';
    if (!name) return;
    setTagResult(`${remove ? 'Removing' : 'Adding'} tag ${name}…`);
    const failures = await eachLimited(chosen, 4, async (id) => {
      const params = { params: { path: { id, tag: name } } };
      await must(remove ? api.DELETE('/devices/{id}/tags/{tag}', params) : api.PUT('/devices/{id}/tags/{tag}', params));
    });
    setTagResult(failures.length ? `Tag ${name}: ${chosen.length - failures.length} done, ${failures.length} failed (${(failures[0]!.error as Error).message})` : `Tag ${name} ${remove ? 'removed from' : 'added to'} ${chosen.length} device${chosen.length === 1 ? '' : 's'}.`);
    await queries.invalidateQueries({ queryKey: ['devices'] });
  };

  return (
    <>
      <h1>Devices</h1>
      <form role="search" className="search" onSubmit={submit}>
        <label htmlFor="device-search">Search devices</label>
        <input id="device-search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="serial, MAC, device id, IP, tag, product class, version, SIP user" aria-describedby="device-search-help" />
        <button type="submit">Search</button>
        <p id="device-search-help" className="hint">
          Any MAC notation works. Narrow with <code>tag:NAME</code>, <code>class:CP-8851-3PCC</code>, <code>version:12.0.1</code>.
        </p>
      </form>

      {canTag && (
        <form className="toolbar" onSubmit={(e) => void tag(e)} aria-label="Tag the selected devices">
          <span>{`${chosen.length} selected`}</span>
          <label htmlFor="tag-name">Tag</label>
          <input id="tag-name" name="tag" pattern="[A-Za-z0-9._:\-]{1,64}" title="letters, digits, . _ : - (at most 64)" required />
          <button type="submit" name="action" value="add" disabled={!chosen.length}>
            Add tag
          </button>
          <button type="submit" name="action" value="remove" disabled={!chosen.length}>
            Remove tag
          </button>
          {tagResult && <span role="status">{tagResult}</span>}
        </form>
      )}
      {can('createJob') && (
        <p>
          <Link href={newJobLink(chosen, search)}>{chosen.length ? `New job on the ${chosen.length} selected device${chosen.length === 1 ? '' : 's'}` : search ? 'New job on the devices of this search' : 'New job'}</Link>
        </p>
      )}

      {page.error && (
        <p className="error" role="alert">
          {`Could not search: ${page.error.message}`}
        </p>
      )}
      <div className="table-wrap">
        <table className="grid" aria-busy={page.isFetching} aria-label="Devices">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortKey = (header.column.columnDef.meta as { sort?: SortColumn } | undefined)?.sort;
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th key={header.id} scope="col" aria-sort={sortKey ? sortDirection(sort, sortKey) : undefined}>
                      {sortKey ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={() => {
                            setSort(toggleSort(sort, sortKey));
                            setTrail(FIRST_PAGE);
                          }}
                        >
                          {label}
                          <span aria-hidden="true">{{ ascending: ' ▲', descending: ' ▼', none: '' }[sortDirection(sort, sortKey)]}</span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} aria-selected={canTag ? row.getIsSelected() : undefined}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {page.data && !page.data.items.length && <p role="status">No device matches.</p>}
        {page.data?.matchesTruncated && <p role="status">More devices match than one search selects; type more of the value to narrow it.</p>}
        {page.isPending && <p role="status">Searching…</p>}
      </div>
      <Pager label="Pages of devices" trail={trail} onChange={setTrail} nextCursor={page.isPlaceholderData ? undefined : page.data?.nextCursor} />
    </>
  );
}
