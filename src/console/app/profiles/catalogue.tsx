import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api';
import type { components } from '../generated/api';

export type CatalogueHit = components['schemas']['CatalogueHit'];

/** The whole Cisco catalogue (about a thousand parameters), fetched once: each row's type comes from it. */
export function useCatalogue(): Map<string, CatalogueHit> | undefined {
  const all = useQuery({
    queryKey: ['catalogue', 'all'],
    queryFn: () => must(api.GET('/cisco/catalogue', { params: { query: { limit: 2000 } } })),
    staleTime: Infinity,
  });
  return useMemo(() => {
    if (!all.data) return undefined;
    const byName = new Map<string, CatalogueHit>();
    for (const hit of all.data.items) {
      byName.set(hit.name, hit);
      if (hit.tr069Path) byName.set(hit.tr069Path, hit);
    }
    return byName;
  }, [all.data]);
}

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * Suggestions for the parameter name being typed, from the server's catalogue search: XML
 * names, or TR-069 paths once the text starts like one.
 */
export function NameSuggestions({ id, text }: { id: string; text: string }) {
  const q = useDebounced(text.trim(), 200);
  const found = useQuery({
    queryKey: ['catalogue', 'search', q],
    queryFn: () => must(api.GET('/cisco/catalogue', { params: { query: { q, limit: 20 } } })),
    enabled: q.length >= 2,
    staleTime: Infinity,
  });
  const paths = /^(Device|InternetGatewayDevice)\./.test(q);
  return (
    <datalist id={id}>
      {(found.data?.items ?? []).map((h) => {
        const value = paths && h.tr069Path ? h.tr069Path : h.name;
        return <option key={value} value={value} label={`${h.webName} · ${h.typeLabel}`} />;
      })}
    </datalist>
  );
}

/** What the catalogue says of a parameter: its type, allowed values or range, TR-069 path. */
export function TypeHint({ hit, id }: { hit: CatalogueHit | undefined; id: string }) {
  if (!hit) return null;
  const t = hit.type;
  // min and max of strings and host names are lengths, which the type label already names
  const numeric = ['uns', 'sig', 'port', 'float'].includes(t.kind);
  const range = numeric && (t.min !== undefined || t.max !== undefined) ? ` ${t.min ?? ''}..${t.max ?? ''}` : '';
  return (
    <span className="hint" id={id}>
      {`${hit.name} (${hit.webName}): ${t.kind === 'enum' ? 'one of' : hit.typeLabel}${range}`}
      {t.options ? ` ${t.options.join(' | ')}` : ''}
      {hit.tr069Path ? ` · TR-069 ${hit.tr069Path}` : ' · configuration file only'}
      {hit.secret ? ' · secret' : ''}
      {hit.sample !== undefined && hit.sample !== '' ? ` · sample "${hit.sample}"` : ''}
    </span>
  );
}
