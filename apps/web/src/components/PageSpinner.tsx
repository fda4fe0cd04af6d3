import { Spin } from 'antd';
import { T } from '../lib/vi';

/** An empty list's sentence, dark enough for 4.5:1 contrast (antd's default grey is lighter). */
export function EmptyText({ children }: { children: string }) {
  return <span className="muted">{children}</span>;
}

export function PageSpinner() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 48 }} role="status" aria-live="polite">
      <Spin description={T.loading} />
    </div>
  );
}
