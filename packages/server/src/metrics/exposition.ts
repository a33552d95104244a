// Writing Prometheus text exposition by hand, for series that are made per request (a workspace's checks).

/** A label value as the text format wants it: backslash, double quote and newline escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export type Labels = Record<string, string>;

/** Builds one metric family after another: HELP and TYPE once, then its samples. */
export class ExpositionWriter {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<{ labels: Labels; value: number }>): this {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const { labels, value } of samples) {
      const pairs = Object.entries(labels)
        .map(([k, v]) => `${k}="${labelValue(v)}"`)
        .join(',');
      this.lines.push(`${name}${pairs ? `{${pairs}}` : ''} ${formatValue(value)}`);
    }
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
