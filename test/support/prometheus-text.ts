/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line is
 * empty, `# HELP name text`, `# TYPE name type` or a sample `name{label="value",…} value`; every
 * sample belongs to a family whose TYPE came before it (a histogram's `_bucket`, `_sum` and
 * `_count` belong to the histogram); no family is declared twice. Anything else throws, naming
 * the line.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, MetricType>;
  samples: Sample[];
  /** Samples of one metric (for a histogram: its `_count`, `_sum` or `_bucket` series) whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The sum of `find`'s values (0 when there is none). */
  total(name: string, labels?: Record<string, string>): number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
/** A float as Go's ParseFloat reads it (the format's definition): NaN and Inf in any case (prom-client writes `Nan`). */
const VALUE = '(-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?[Ii][Nn][Ff]|[Nn][Aa][Nn])';
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? ${VALUE}(?: -?\\d+)?$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP_LINE = new RegExp(`^# HELP (${NAME}) .*$`);
const SUFFIXES: Partial<Record<MetricType, string[]>> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

export function parsePrometheusText(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('The exposition does not end with a newline.');
  const types = new Map<string, MetricType>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}: ${line}`;
      if (line === '' || HELP_LINE.test(line)) return;
      const typed = TYPE_LINE.exec(line);
      if (typed) {
        const [, name, type] = typed as unknown as [string, string, MetricType];
        if (types.has(name)) throw new Error(`TYPE declared twice, ${where}`);
        types.set(name, type);
        return;
      }
      if (line.startsWith('#')) throw new Error(`Not a HELP or TYPE comment, ${where}`);
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`Not a sample, ${where}`);
      const name = match[1] as string;
      if (!familyOf(name, types)) throw new Error(`Sample of an undeclared metric, ${where}`);
      samples.push({ name, labels: labelsOf(match[2] ?? ''), value: numberOf(match[match.length - 1] as string) });
    });
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return { types, samples, find, total: (name, labels) => find(name, labels).reduce((sum, s) => sum + s.value, 0) };
}

function familyOf(sample: string, types: Map<string, MetricType>): string | undefined {
  if (types.has(sample)) return sample;
  for (const [family, type] of types) {
    if ((SUFFIXES[type] ?? []).some((suffix) => sample === `${family}${suffix}`)) return family;
  }
  return undefined;
}

function labelsOf(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(new RegExp(LABEL, 'g'))) {
    if ((name as string) in labels) throw new Error(`Label ${name} given twice in {${text}}`);
    labels[name as string] = (value as string).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function numberOf(text: string): number {
  if (/^[-+]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return /^nan$/i.test(text) ? Number.NaN : Number(text);
}
