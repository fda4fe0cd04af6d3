import { useQuery } from '@tanstack/react-query';
import { api, csrfToken, unwrap } from '../../lib/api/client';
import type { Schemas } from '../../lib/api/client';
import { ApiError } from '../../lib/errors';

export type Operation = Schemas['OperationDto'];

/** The outcome of an import that the API accepted: an operation to follow. */
export interface Started {
  operationId: number;
}

/**
 * Sends an import file to `POST /api/units/import?async=true` with XMLHttpRequest (fetch has no
 * upload progress): a .json file as a JSON array, a .csv/.xlsx file as multipart. `onProgress` gets
 * the share of the upload sent (0..1). Resolves with the operation id (202); rejects with ApiError.
 */
export function uploadImport(file: File, onProgress: (sent: number) => void): Promise<Started> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/units/import?async=true');
    xhr.withCredentials = true;
    const token = csrfToken();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    xhr.onload = () => {
      let body: { operationId?: number; code?: string; message?: string; details?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText || '{}') as typeof body;
      } catch {
        // Not JSON: the status alone says what happened.
      }
      if (xhr.status === 202 && typeof body.operationId === 'number') {
        onProgress(1);
        resolve({ operationId: body.operationId });
      } else {
        reject(new ApiError(xhr.status, body.code ?? (xhr.status >= 500 ? 'INTERNAL' : 'UNKNOWN'), body.message ?? '', body.details));
      }
    };
    if (/\.json$/i.test(file.name)) {
      xhr.setRequestHeader('content-type', 'application/json');
      xhr.send(file);
    } else {
      const form = new FormData();
      form.append('file', file, file.name);
      xhr.send(form);
    }
  });
}

/** A long operation, polled every second while it runs (and left alone once it has ended). */
export function useOperation(id: number | null) {
  return useQuery({
    queryKey: ['operations', id],
    queryFn: (): Promise<Operation> => unwrap(api.GET('/api/operations/{id}', { params: { path: { id: id ?? 0 } } })),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'running' ? false : 1000),
  });
}
