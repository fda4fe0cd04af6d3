import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageSpinner } from '../../components/PageSpinner';
import { Pill } from '../../components/Pill';
import { api, unwrap, type Schemas } from '../../lib/api/client';
import { ApiError, errorMessage } from '../../lib/errors';
import { CONTENTS, T } from '../../lib/vi';

type ContentStatus = 'done' | 'not_done' | 'not_applicable';

interface Values {
  heldOn?: Dayjs;
  kind?: 'delegates' | 'members';
  contents: { no: number; status?: ContentStatus; note?: string }[];
  committee: Partial<Schemas['CommitteeDto']>;
  delegates: Partial<Schemas['DelegatesDto']>;
}

const COMMITTEE_FIELDS: [keyof Schemas['CommitteeDto'], string, number, number | undefined][] = [
  ['size', T.committeeSize, 1, 500],
  ['women', T.committeeWomen, 0, 500],
  ['young', T.committeeYoung, 0, 500],
  ['ethnicMinority', T.committeeEthnic, 0, 500],
  ['newlyElected', T.committeeNew, 0, 500],
  ['minVotePct', T.committeeMinVote, 0, 100],
];

function hasAny(o: object | undefined): boolean {
  return !!o && Object.values(o).some((v) => v !== undefined && v !== null);
}

/** The congress record: date, format, the 4 contents, committee and delegate election figures. */
export function CongressForm({ unitId, canEdit }: { unitId: number; canEdit: boolean }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const record = useQuery({
    queryKey: ['congress', unitId],
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/units/{id}/congress', { params: { path: { id: unitId } } }));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
  });

  useEffect(() => {
    const r = record.data;
    form.setFieldsValue({
      heldOn: r?.heldOn ? dayjs(r.heldOn) : undefined,
      kind: r?.kind,
      contents: [1, 2, 3, 4].map((no) => {
        const c = r?.contents.find((x) => x.no === no);
        return { no, status: c?.status ?? undefined, note: c?.note ?? undefined };
      }),
      committee: r?.committee ?? {},
      delegates: r?.delegates ?? {},
    });
  }, [record.data, form]);

  if (record.isLoading) return <PageSpinner />;
  if (record.error) return <ErrorAlert error={record.error} onRetry={() => record.refetch()} />;

  const save = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body: Schemas['PutCongressDto'] = {
        heldOn: (v.heldOn as Dayjs).format('YYYY-MM-DD'),
        kind: v.kind as 'delegates' | 'members',
        contents: v.contents
          .filter((c) => c.status)
          .map((c) => ({ no: c.no, status: c.status as ContentStatus, ...(c.note?.trim() ? { note: c.note.trim() } : {}) })),
      };
      if (hasAny(v.committee)) body.committee = v.committee as Schemas['CommitteeDto'];
      if (hasAny(v.delegates)) body.delegates = v.delegates as Schemas['DelegatesDto'];
      await unwrap(api.PUT('/api/units/{id}/congress', { params: { path: { id: unitId } }, body }));
      message.success(T.congressSaved);
      await queryClient.invalidateQueries({ queryKey: ['congress', unitId] });
      await queryClient.invalidateQueries({ queryKey: ['workflow', unitId] });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const r = record.data;
  return (
    <Form<Values> form={form} layout="vertical" onFinish={save} disabled={!canEdit} scrollToFirstError>
      {r ? (
        r.completedAll ? (
          <Alert type="success" showIcon title={T.congressCompleted} style={{ marginBottom: 16 }} />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={T.congressMissing(r.missing.map((n) => CONTENTS[n]).join('; '))}
            style={{ marginBottom: 16 }}
          />
        )
      ) : (
        <Alert type="info" showIcon title={T.congressEmpty} style={{ marginBottom: 16 }} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Space wrap size="large" align="start">
        <Form.Item label={T.congressHeldOn} name="heldOn" rules={[{ required: true, message: T.fieldRequired(T.congressHeldOn) }]}>
          <DatePicker format="DD/MM/YYYY" placeholder="dd/mm/yyyy" />
        </Form.Item>
        <Form.Item
          label={T.congressKind}
          name="kind"
          rules={[{ required: true, message: T.congressKindRequired }]}
          style={{ minWidth: 240 }}
        >
          <Select
            options={[
              { value: 'delegates', label: T.congressKindDelegates },
              { value: 'members', label: T.congressKindMembers },
            ]}
          />
        </Form.Item>
      </Space>
      <Card size="small" title={T.congressContents} style={{ marginBottom: 16 }}>
        <Form.List name="contents">
          {(fields) =>
            fields.map((f, i) => (
              <div key={f.key} className="content-row">
                <Form.Item name={[f.name, 'no']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item label={`${i + 1}. ${CONTENTS[i + 1]}`} name={[f.name, 'status']} style={{ marginBottom: 8 }}>
                  <Radio.Group
                    options={(['done', 'not_done', 'not_applicable'] as const).map((s) => ({ value: s, label: T.contentStatus[s] }))}
                  />
                </Form.Item>
                <Form.Item noStyle shouldUpdate>
                  {() =>
                    form.getFieldValue(['contents', f.name, 'status']) === 'not_applicable' ? (
                      <Form.Item
                        label={T.contentReason(i + 1)}
                        name={[f.name, 'note']}
                        rules={[{ required: true, whitespace: true, message: T.contentNoteRequired }]}
                      >
                        <Input maxLength={1000} />
                      </Form.Item>
                    ) : null
                  }
                </Form.Item>
              </div>
            ))
          }
        </Form.List>
      </Card>
      <Card size="small" title={T.congressCommittee} style={{ marginBottom: 16 }}>
        <Space wrap align="start">
          {COMMITTEE_FIELDS.map(([name, label, min, max]) => (
            <Form.Item
              key={name}
              label={label}
              name={['committee', name]}
              dependencies={name === 'size' ? [] : [['committee', 'size']]}
              rules={[
                { type: 'number', min, message: T.fieldMin(label, min) },
                ...(max !== undefined ? [{ type: 'number' as const, max, message: T.fieldMax(label, max) }] : []),
                ({ getFieldValue }) => ({
                  validator(_: unknown, value: number | null | undefined) {
                    const committee = getFieldValue('committee') as Values['committee'];
                    if ((value === undefined || value === null) && hasAny(committee))
                      return Promise.reject(new Error(T.fieldRequired(label)));
                    const size = committee?.size;
                    if (name !== 'size' && name !== 'minVotePct' && typeof value === 'number' && typeof size === 'number' && value > size)
                      return Promise.reject(new Error(T.notMoreThan(label, T.committeeSize)));
                    if (name === 'minVotePct' && typeof value === 'number' && value <= 50)
                      return Promise.reject(new Error(T.minVoteOver50));
                    return Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber min={min} max={max} style={{ width: 180 }} decimalSeparator={name === 'minVotePct' ? ',' : undefined} />
            </Form.Item>
          ))}
        </Space>
      </Card>
      <Card size="small" title={T.congressDelegates} style={{ marginBottom: 16 }}>
        <Space wrap align="start">
          {(
            [
              ['allocated', T.delegatesAllocated],
              ['elected', T.delegatesElected],
            ] as const
          ).map(([name, label]) => (
            <Form.Item
              key={name}
              label={label}
              name={['delegates', name]}
              dependencies={name === 'elected' ? [['delegates', 'allocated']] : []}
              rules={[
                { type: 'number', min: 0, message: T.fieldMin(label, 0) },
                ({ getFieldValue }) => ({
                  validator(_: unknown, value: number | null | undefined) {
                    const d = getFieldValue('delegates') as Values['delegates'];
                    if ((value === undefined || value === null) && hasAny(d)) return Promise.reject(new Error(T.fieldRequired(label)));
                    if (name === 'elected' && typeof value === 'number' && typeof d?.allocated === 'number' && value > d.allocated)
                      return Promise.reject(new Error(T.notMoreThan(label, T.delegatesAllocated)));
                    return Promise.resolve();
                  },
                }),
              ]}
            >
              <InputNumber min={0} style={{ width: 200 }} />
            </Form.Item>
          ))}
        </Space>
      </Card>
      {r && (
        <p className="muted">
          {T.applicableContents(r.applicableContents)} {r.completedAll ? <Pill tone="green">{T.congressCompleted}</Pill> : null}
        </p>
      )}
      {canEdit && (
        <Button type="primary" htmlType="submit" loading={busy}>
          {T.save}
        </Button>
      )}
    </Form>
  );
}
