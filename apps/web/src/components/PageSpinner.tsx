import { Spin } from 'antd';
import { T } from '../lib/vi';

export function PageSpinner() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }} role="status" aria-live="polite">
      <Spin description={T.loading} />
    </div>
  );
}
