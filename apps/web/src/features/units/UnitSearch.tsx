import { SearchOutlined } from '@ant-design/icons';
import { AutoComplete } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../lib/api/client';
import { T, TIER } from '../../lib/vi';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** "Tìm đơn vị": server search (accents and case ignored by the API); picking a unit opens it. */
export function UnitSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const { data, isFetching } = useQuery({
    queryKey: ['unit-search', q],
    queryFn: () => unwrap(api.GET('/api/units', { params: { query: { q, pageSize: 20 } } })),
    enabled: q.length >= 2,
    staleTime: 60_000,
  });

  const options = (q.length >= 2 ? (data?.items ?? []) : []).map((u) => ({
    value: `unit:${u.id}`,
    label: (
      <div className="search-option">
        <span className="search-option-name">{u.name}</span>
        <span className="search-option-meta">
          {TIER[u.tier]} · {u.code}
          {u.parentName ? ` · ${u.parentName}` : ''}
        </span>
      </div>
    ),
  }));

  return (
    <AutoComplete
      className="unit-search"
      aria-label={T.searchUnit}
      placeholder={T.searchPlaceholder}
      prefix={<SearchOutlined aria-hidden />}
      allowClear
      value={text}
      options={options}
      onSearch={setText}
      onChange={(v: string) => {
        if (!v?.startsWith('unit:')) setText(v ?? '');
      }}
      onSelect={(value: string) => {
        setText('');
        navigate(`/units/${value.slice('unit:'.length)}`);
      }}
      notFoundContent={q.length >= 2 && !isFetching && data ? T.searchEmpty : null}
      popupMatchSelectWidth={360}
    />
  );
}
