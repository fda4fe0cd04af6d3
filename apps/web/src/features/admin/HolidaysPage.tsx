import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../lib/api/client';
import { errorMessage } from '../../lib/errors';
import { formatDate, formatNumber, todayInVietnam } from '../../lib/format';
import { AdminPage } from './AdminTabs';
import { isoOf } from './dates';
import { H, WEEKDAY } from './words';

type Kind = 'holiday' | 'workday';

interface Holiday {
  date: string;
  name: string;
  /** `holiday`: a day off; `workday`: a make-up working day (a Saturday or Sunday that is worked). */
  kind: Kind;
}

/**
 * "Lịch ngày nghỉ lễ": the calendar of a year, days off ("Ngày nghỉ") and make-up working days
 * ("Ngày làm bù"); add, change the kind of and remove days (admins of the root). Shows the years the
 * calendar covers: a due date outside them is refused by the API.
 */
export default function HolidaysPage() {
  const thisYear = Number(todayInVietnam().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('holiday');
  const [problem, setProblem] = useState<string | null>(null);
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const holidays = useQuery({
    queryKey: ['holidays', year],
    queryFn: () => unwrap(api.GET('/api/holidays', { params: { query: { year: String(year) } } })) as Promise<Holiday[]>,
  });
  const coverage = useQuery({
    queryKey: ['holidays', 'coverage'],
    queryFn: () => unwrap(api.GET('/api/holidays/coverage')),
  });
  const put = useMutation({
    mutationFn: (h: { date: string; name: string; kind: Kind }) =>
      unwrap(api.PUT('/api/holidays/{date}', { params: { path: { date: h.date } }, body: { name: h.name, kind: h.kind } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['holidays'] }),
  });
  const remove = useMutation({
    mutationFn: (d: string) => unwrap(api.DELETE('/api/holidays/{date}', { params: { path: { date: d } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['holidays'] }),
  });

  const add = async () => {
    const iso = isoOf(date);
    if (!iso) return setProblem(H.dateInvalid);
    if (!name.trim()) return setProblem(H.nameRequired);
    setProblem(null);
    try {
      await put.mutateAsync({ date: iso, name: name.trim(), kind });
      void message.success(H.added(formatDate(iso), kind));
      setDate('');
      setName('');
      setYear(Number(iso.slice(0, 4)));
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  const years = Array.from({ length: 5 }, (_, i) => thisYear - 2 + i);
  return (
    <AdminPage title={H.title}>
      <Card size="small">
        <Typography.Paragraph>{H.hint}</Typography.Paragraph>
        {coverage.data && (
          <Typography.Paragraph type="secondary">
            {H.coverage(coverage.data.firstYear ?? null, coverage.data.lastYear ?? null)}
          </Typography.Paragraph>
        )}
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            aria-label={H.year}
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: `${H.year} ${y}` }))}
            style={{ width: 130 }}
          />
          <Input
            aria-label={H.date}
            placeholder="dd/mm/yyyy"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            style={{ width: 140 }}
          />
          <Input
            aria-label={H.name}
            placeholder={H.name}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            style={{ width: 260 }}
          />
          <Select<Kind>
            aria-label={H.kind}
            value={kind}
            onChange={setKind}
            options={(['holiday', 'workday'] as const).map((k) => ({ value: k, label: H.kindOf[k] }))}
            style={{ width: 150 }}
          />
          <Button type="primary" onClick={() => void add()} loading={put.isPending}>
            {H.add}
          </Button>
        </Space>
        {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
        {holidays.error ? (
          <Alert type="error" showIcon title={errorMessage(holidays.error)} />
        ) : (
          <Table<Holiday>
            size="small"
            rowKey="date"
            loading={holidays.isLoading}
            dataSource={holidays.data ?? []}
            pagination={false}
            locale={{ emptyText: H.empty }}
            footer={(rows) => H.count(formatNumber(rows.length))}
            columns={[
              { title: H.date, dataIndex: 'date', width: 130, render: (d: string) => formatDate(d) },
              {
                title: H.weekday,
                dataIndex: 'date',
                key: 'weekday',
                width: 120,
                render: (d: string) => WEEKDAY[new Date(`${d}T00:00:00Z`).getUTCDay()],
              },
              { title: H.name, dataIndex: 'name' },
              {
                title: H.kind,
                dataIndex: 'kind',
                width: 170,
                render: (k: Kind, h: Holiday) => (
                  <Select<Kind>
                    size="small"
                    aria-label={H.kindOfDay(formatDate(h.date))}
                    value={k}
                    style={{ width: 150 }}
                    onChange={async (next) => {
                      try {
                        await put.mutateAsync({ date: h.date, name: h.name, kind: next });
                        void message.success(H.changed(formatDate(h.date), next));
                      } catch (e) {
                        setProblem(errorMessage(e));
                      }
                    }}
                    options={(['holiday', 'workday'] as const).map((x) => ({ value: x, label: H.kindOf[x] }))}
                  />
                ),
              },
              {
                title: 'Thao tác',
                key: 'remove',
                width: 100,
                render: (_: unknown, h: Holiday) => (
                  <Button
                    size="small"
                    danger
                    aria-label={H.remove(formatDate(h.date))}
                    onClick={async () => {
                      try {
                        await remove.mutateAsync(h.date);
                        void message.success(H.removed(formatDate(h.date)));
                      } catch (e) {
                        setProblem(errorMessage(e));
                      }
                    }}
                  >
                    {H.removeShort}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
    </AdminPage>
  );
}
