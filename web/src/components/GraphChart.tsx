// ECharts' `graph` series (force layout) for the link-graph explorer; its own module so only the graph page's
// chunk carries the graph chart code.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { GraphChart as EGraph } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([EGraph, TooltipComponent, CanvasRenderer]);

export function GraphChart({ option, height = 560, onNodeClick, testId }: { option: EChartsCoreOption; height?: number; onNodeClick?: (id: string) => void; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onNodeClick);
  click.current = onNodeClick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    c.on('click', (p) => {
      const d = p.data as { id?: string } | undefined;
      if (p.dataType === 'node' && d?.id) click.current?.(d.id);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // Merged, not replaced: the series (given a fixed id) keeps its model and with it the force layout's node
    // positions, so selecting or expanding a node does not reshuffle the picture; new nodes settle in around it.
    chart.current?.setOption(option);
  }, [option]);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}
