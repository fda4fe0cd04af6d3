import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { T } from '../lib/vi';

/** Pages of part 2 (dashboard, reports, administration): reachable, not yet built. */
export default function Placeholder({ title }: { title: string }) {
  return (
    <>
      <h1 className="page-title">{title}</h1>
      <Result
        status="info"
        title={T.underConstruction}
        subTitle={T.underConstructionHint}
        extra={
          <Link to="/">
            <Button type="primary">{T.backHome}</Button>
          </Link>
        }
      />
    </>
  );
}
