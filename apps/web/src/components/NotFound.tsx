import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { T } from '../lib/vi';

export default function NotFound() {
  return (
    <>
      <h1 className="page-title">{T.notFound}</h1>
      <Result
        status="404"
        title="404"
        extra={
          <Link to="/">
            <Button type="primary">{T.backHome}</Button>
          </Link>
        }
      />
    </>
  );
}
