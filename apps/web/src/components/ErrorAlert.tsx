import { Alert, Button } from 'antd';
import { errorMessage } from '../lib/errors';
import { T } from '../lib/vi';

/** A failed query, in Vietnamese, with a retry. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      title={errorMessage(error)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {T.retry}
          </Button>
        ) : undefined
      }
    />
  );
}
