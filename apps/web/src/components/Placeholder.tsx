import { Button, Result, Space } from 'antd';
import { useMe } from '../features/auth/session';
import { useNavigate } from 'react-router-dom';
import { T } from '../lib/vi';

/** Pages of part 2 (dashboard, reports, administration): reachable, not yet built. */
export default function Placeholder({ title, adminTools = false }: { title: string; adminTools?: boolean }) {
  const navigate = useNavigate();
  const me = useMe();
  return (
    <>
      <h1 className="page-title">{title}</h1>
      <Result
        status="info"
        title={T.underConstruction}
        subTitle={T.underConstructionHint}
        extra={
          <Space orientation="vertical">
            <Button type="primary" onClick={() => navigate('/')}>
              {T.backHome}
            </Button>
            {adminTools && me.data?.role === 'admin' && (
              <span>
                {T.availableNow} <a href="/admin/queues">{T.queueBoard}</a> · <a href="/docs">{T.apiDocs}</a>
              </span>
            )}
          </Space>
        }
      />
    </>
  );
}
