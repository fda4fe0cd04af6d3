import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

type ECharts = import('echarts/core').EChartsType;

/**
 * Loads ECharts (core + the bar and heat map charts, canvas renderer) on first use: the library
 * is its own chunk, never part of the first page load. Resolves once per session.
 */
let loading: Promise<typeof import('echarts/core')> | null = null;
function loadECharts() {
  loading ??= import('./echarts-setup').then((m) => m.echarts);
  return loading;
}

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  /** What the chart shows, for screen readers (the figures themselves are in a table beside it). */
  label: string;
  /** A click on a data item (a bar, a cell): its index in the category axis. */
  onItemClick?: (dataIndex: number) => void;
}

/** An ECharts chart (canvas). Decorative for assistive technology: every chart has its figures as text beside it. */
export function EChart({ option, height, label, onItemClick }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onItemClick);
  click.current = onItemClick;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadECharts().then((echarts) => {
      if (disposed || !ref.current) return;
      const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      instance.on('click', (params: { dataIndex?: number }) => {
        if (typeof params.dataIndex === 'number') click.current?.(params.dataIndex);
      });
      chart.current = instance;
      if (typeof ResizeObserver !== 'undefined') {
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(ref.current);
      }
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, { notMerge: true });
  }, [option, ready]);

  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} data-chart-ready={ready ? 'true' : 'false'} />;
}
