import { Tag } from 'antd';
import type { ReactNode } from 'react';

export type Tone = 'red' | 'orange' | 'gold' | 'green' | 'blue' | 'volcano' | 'default';

// antd's preset tag colours are below 4.5:1 for small text on some tones; these darker ones pass axe.
const TONES: Record<Tone, { color: string; background: string; borderColor: string }> = {
  red: { color: '#a8071a', background: '#fff1f0', borderColor: '#ffa39e' },
  orange: { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' },
  gold: { color: '#7c4a00', background: '#fffbe6', borderColor: '#ffe58f' },
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  blue: { color: '#003eb3', background: '#e6f4ff', borderColor: '#91caff' },
  volcano: { color: '#871400', background: '#fff2e8', borderColor: '#ffbb96' },
  default: { color: '#262626', background: '#fafafa', borderColor: '#d9d9d9' },
};

export function Pill({ tone, children }: { tone: string; children: ReactNode }) {
  const t = TONES[(tone in TONES ? tone : 'default') as Tone];
  return (
    <Tag style={{ ...t, marginInlineEnd: 0 }} variant="outlined">
      {children}
    </Tag>
  );
}

export const STATUS_TONE: Record<string, Tone> = {
  not_started: 'default',
  in_progress: 'blue',
  awaiting_approval: 'gold',
  returned: 'volcano',
  completed: 'green',
  skipped: 'default',
  closed: 'default',
};
