import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { T } from '../lib/vi';

/** Pages of part 2 (dashboard, reports, administration): reachable, not yet built. */
export default function Placeholder({ title }: { title: string }) {
  const navigate = useNavigate();
  return (
    <>
      <h1 className="page-title">{title}</h1>
      <Result
        status="info"
        title={T.underConstruction}
        subTitle={T.underConstructionHint}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {T.backHome}
          </Button>
        }
      />
    </>
  );
}
