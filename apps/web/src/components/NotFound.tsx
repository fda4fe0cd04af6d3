import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { T } from '../lib/vi';

export default function NotFound() {
  const navigate = useNavigate();
  return (
    <>
      <h1 className="page-title">{T.notFound}</h1>
      <Result
        status="404"
        title="404"
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {T.backHome}
          </Button>
        }
      />
    </>
  );
}
