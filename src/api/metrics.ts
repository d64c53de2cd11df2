/**
 * A few counters in Prometheus text format for `/metrics`. Labels never carry secrets or ids.
 */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly started = Date.now();

  inc(name: string, labels: Record<string, string> = {}): void {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  render(): string {
    const lines = [
      '# TYPE vipps_graph_uptime_seconds gauge',
      `vipps_graph_uptime_seconds ${Math.floor((Date.now() - this.started) / 1000)}`,
      '# TYPE vipps_graph_heap_used_bytes gauge',
      `vipps_graph_heap_used_bytes ${process.memoryUsage().heapUsed}`,
    ];
    const names = new Set([...this.counters.keys()].map((k) => k.split('{')[0]));
    for (const name of names) {
      lines.push(`# TYPE ${name} counter`);
      for (const [key, value] of this.counters) if (key.split('{')[0] === name) lines.push(`${key} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
