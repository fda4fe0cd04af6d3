import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import { RouterProvider } from 'react-router-dom';
import { ApiError } from '../lib/errors';
import '../lib/format';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refusal (4xx) will not change by asking again; a network failure might.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

/** Ant Design in Vietnamese, the server-state cache and the routes. */
export function App() {
  return (
    <ConfigProvider
      locale={viVN}
      theme={{
        // Colours for 4.5:1 contrast on white (axe-core): antd's default link blue and error red are lighter.
        token: {
          colorPrimary: '#b71c1c',
          colorLink: '#1d4ed8',
          // Hover and pressed links stay dark enough too (antd derives lighter ones).
          colorLinkHover: '#1e40af',
          colorLinkActive: '#1e3a8a',
          colorError: '#c62828',
          colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
          borderRadius: 6,
          fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif',
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
