import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Result, Space, Statistic, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ApiError } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { AdminPage } from './AdminTabs';
import { uploadImport, useOperation, type Operation } from './operations';
import { A, IMPORT_COLUMNS, IMPORT_FIELD, importReason, TEMPLATE_CSV } from './words';

interface RowError {
  row?: number;
  field: string;
  reason?: string;
}

function rowErrors(details: unknown): RowError[] {
  return Array.isArray(details) ? (details.filter((d) => d && typeof d === 'object' && 'field' in d) as RowError[]) : [];
}

function downloadTemplate(): void {
  const url = URL.createObjectURL(new Blob([TEMPLATE_CSV], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'mau-nhap-don-vi.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The row errors of a refused import: row, column and reason, in Vietnamese. */
function ErrorsTable({ errors, title }: { errors: RowError[]; title: string }) {
  const rows = new Set(errors.filter((e) => e.row !== undefined).map((e) => e.row)).size;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="error" showIcon title={title} description={A.rowErrors(rows, errors.length)} />
      <Table<RowError & { key: number }>
        size="small"
        aria-label={A.errorsTable}
        rowKey="key"
        dataSource={errors.map((e, key) => ({ ...e, key }))}
        pagination={errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        columns={[
          { title: A.row, dataIndex: 'row', width: 80, render: (r?: number) => (r === undefined ? '—' : formatNumber(r)) },
          { title: A.field, dataIndex: 'field', width: 260, render: (f: string) => IMPORT_FIELD[f] ?? f },
          { title: A.reason, dataIndex: 'reason', render: (r?: string) => importReason(r) },
        ]}
      />
    </Space>
  );
}

function Outcome({ op }: { op: Operation }) {
  if (op.status === 'running') {
    const p = op.progress as { phase?: string; done?: number };
    const n = formatNumber(p.done ?? 0);
    const text = p.phase === 'writing' ? A.phase.writing(n) : p.phase === 'checking' ? A.phase.checking(n) : A.phase.reading(n);
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {A.processing}: {text}
        </Typography.Text>
        <Progress percent={p.phase === 'writing' ? 90 : p.phase === 'checking' ? 60 : 30} status="active" aria-label={A.processing} />
        <Typography.Text type="secondary">{A.backgroundHint}</Typography.Text>
      </Space>
    );
  }
  if (op.status === 'succeeded') {
    const r = op.result as { created?: number; updated?: number; unchanged?: number };
    return (
      <Result
        status="success"
        title={A.importDone}
        extra={
          <Space size="large" className="import-counts">
            <Statistic title={A.created} value={r.created ?? 0} formatter={(v) => formatNumber(Number(v))} />
            <Statistic title={A.updated} value={r.updated ?? 0} formatter={(v) => formatNumber(Number(v))} />
            <Statistic title={A.unchanged} value={r.unchanged ?? 0} formatter={(v) => formatNumber(Number(v))} />
          </Space>
        }
      />
    );
  }
  const error = op.error;
  const errors = rowErrors(error?.details);
  if (error && errors.length > 0) return <ErrorsTable errors={errors} title={A.importFailed} />;
  return <ErrorAlert error={new ApiError(0, error?.code ?? 'UNKNOWN', error?.message ?? '', error?.details)} />;
}

/**
 * "Nhập danh sách đơn vị": upload JSON/CSV/XLSX with upload progress; the import runs in the
 * background as an operation (its id in the URL, so leaving and coming back shows the outcome),
 * then its row errors as a table or the created/updated/unchanged counts.
 */
export default function ImportPage() {
  const [params, setParams] = useSearchParams();
  const opId = /^\d{1,9}$/.test(params.get('op') ?? '') ? Number(params.get('op')) : null;
  const operation = useOperation(opId);
  const [sent, setSent] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);

  const start = async (file: File) => {
    setUploadError(null);
    if (!/\.(json|csv|xlsx)$/i.test(file.name)) {
      setUploadError(new ApiError(400, 'VALIDATION_FAILED', '', [{ field: 'file', reason: 'must be a .csv or .xlsx file' }]));
      return;
    }
    setSent(0);
    try {
      const { operationId } = await uploadImport(file, setSent);
      setParams({ op: String(operationId) });
    } catch (e) {
      setUploadError(e);
    } finally {
      setSent(null);
    }
  };

  const uploadRowErrors = uploadError instanceof ApiError ? rowErrors(uploadError.details) : [];
  const busy = sent !== null || operation.data?.status === 'running';

  return (
    <AdminPage title={A.importTitle}>
      <Card size="small">
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph style={{ marginBottom: 0 }}>{A.importHint}</Typography.Paragraph>
          <section aria-label={A.columnsTitle}>
            <ul className="import-columns">
              {IMPORT_COLUMNS.map((c) => (
                <li key={c.column}>
                  <code>{c.column}</code> ({IMPORT_FIELD[c.column]?.replace(/ \(.*\)$/, '') ?? c.column}
                  {c.required ? ', bắt buộc' : ', không bắt buộc'}): {c.meaning}
                </li>
              ))}
            </ul>
            <Typography.Text type="secondary">{A.leftOutHint}</Typography.Text>
          </section>
          <div>
            <Button icon={<DownloadOutlined />} onClick={downloadTemplate}>
              {A.template}
            </Button>
          </div>
          {opId === null || !busy ? (
            <Upload.Dragger
              accept=".json,.csv,.xlsx"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(file) => {
                void start(file);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined aria-hidden />
              </p>
              <p className="ant-upload-text">{A.importDrop}</p>
              <p className="ant-upload-hint">{A.importFormats}</p>
            </Upload.Dragger>
          ) : null}
          {sent !== null && (
            <div>
              <Typography.Text>{A.uploading}</Typography.Text>
              <Progress percent={Math.round(sent * 100)} aria-label={A.uploading} />
            </div>
          )}
          {uploadError !== null &&
            (uploadRowErrors.length > 0 && uploadRowErrors.some((e) => e.row !== undefined) ? (
              <ErrorsTable errors={uploadRowErrors} title={A.importFailed} />
            ) : uploadRowErrors.length > 0 ? (
              <Alert type="error" showIcon title={uploadRowErrors.map((e) => importReason(e.reason)).join('; ')} />
            ) : (
              <ErrorAlert error={uploadError} />
            ))}
          {opId !== null && operation.error && <ErrorAlert error={operation.error} onRetry={() => operation.refetch()} />}
          {opId !== null && operation.data && <Outcome op={operation.data} />}
        </Space>
      </Card>
    </AdminPage>
  );
}
