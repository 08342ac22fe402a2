/**
 * A tiny evaluator of synthesized CloudWatch alarms over synthetic one-minute datapoints: what
 * state an alarm of a template would reach on a given series, so a test can show that an
 * outage moves it (or does not).
 *
 * It knows what the alarms of this package use: single-metric alarms, and metric-math alarms
 * with numbers, metric ids, `+ - * /`, parentheses, `FILL(x, <number>)` and `MAX([a, b, ...])`.
 * The semantics, per one-minute timestamp of the evaluation window:
 * - a metric without a datapoint in a minute is `undefined` (ELB and CloudFront publish no
 *   datapoint when there is nothing to count);
 * - `FILL(x, c)` replaces a missing value with `c` (CloudWatch: "fills the missing values of a
 *   time series"; this evaluator assumes the result has every minute of the window);
 * - arithmetic with a missing value is missing, and so is a division by zero (no value to
 *   compare): the alarms of this package are written so that an outage never depends on it;
 * - `MAX([...])` is the largest present value of the minute, missing when none is;
 * - the alarm looks at the last `EvaluationPeriods` minutes and goes into ALARM when at least
 *   `DatapointsToAlarm` of them breach; a missing minute breaches only with
 *   `TreatMissingData: breaching`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-evaluating-missing-data
 */

/** One value per minute, oldest first; `undefined` for a minute without a datapoint. */
export type Series = ReadonlyArray<number | undefined>;

/** A metric an alarm reads, as the template writes it (dimension values as resolved JSON). */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly stat: string;
}

/** The synthetic datapoints of each metric. */
export type Datapoints = (metric: MetricRef) => Series;

type Value = number | undefined;

/** The alarm's per-minute values (its metric, or its returned expression) over the series. */
export function alarmValues(alarm: any, data: Datapoints): Series {
  if (alarm.MetricName) {
    return data({ namespace: alarm.Namespace, metricName: alarm.MetricName, dimensions: dims(alarm.Dimensions), stat: alarm.Statistic ?? alarm.ExtendedStatistic });
  }
  const series = new Map<string, Series>();
  for (const m of alarm.Metrics as any[]) {
    if (!m.MetricStat) continue;
    const metric = m.MetricStat.Metric;
    series.set(m.Id, data({ namespace: metric.Namespace, metricName: metric.MetricName, dimensions: dims(metric.Dimensions), stat: m.MetricStat.Stat }));
  }
  const returned = (alarm.Metrics as any[]).filter((m) => m.ReturnData !== false);
  if (returned.length !== 1) throw new Error(`an alarm returns exactly one series, got ${returned.length}`);
  if (returned[0].MetricStat) return series.get(returned[0].Id)!;
  return evaluateExpression(returned[0].Expression, series);
}

/** Whether the alarm is in ALARM at the end of the series. */
export function alarmState(alarm: any, data: Datapoints): 'ALARM' | 'OK' {
  const values = alarmValues(alarm, data);
  const window = values.slice(-alarm.EvaluationPeriods);
  if (window.length < alarm.EvaluationPeriods) throw new Error(`give at least ${alarm.EvaluationPeriods} minutes of data`);
  const breaching = window.filter((v) => (v === undefined ? alarm.TreatMissingData === 'breaching' : compare(alarm.ComparisonOperator, v, alarm.Threshold))).length;
  return breaching >= (alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods) ? 'ALARM' : 'OK';
}

function compare(operator: string, v: number, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold': return v > threshold;
    case 'GreaterThanOrEqualToThreshold': return v >= threshold;
    case 'LessThanThreshold': return v < threshold;
    case 'LessThanOrEqualToThreshold': return v <= threshold;
    default: throw new Error(`unknown comparison ${operator}`);
  }
}

function dims(dimensions: Array<{ Name: string; Value: unknown }> = []): Record<string, unknown> {
  return Object.fromEntries(dimensions.map((d) => [d.Name, d.Value]));
}

/** Evaluates a metric-math expression minute by minute. */
export function evaluateExpression(expression: string, series: ReadonlyMap<string, Series>): Series {
  const length = Math.max(...[...series.values()].map((s) => s.length));
  const ast = new Parser(expression).parse();
  return Array.from({ length }, (_, minute) => ast((id) => {
    const s = series.get(id);
    if (!s) throw new Error(`unknown metric id '${id}' in '${expression}'`);
    return s[minute];
  }));
}

type Node = (lookup: (id: string) => Value) => Value;

class Parser {
  private readonly tokens: string[];
  private at = 0;

  constructor(private readonly text: string) {
    this.tokens = text.match(/\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),[\]]/g) ?? [];
    if (this.tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`cannot read '${text}'`);
  }

  public parse(): Node {
    const node = this.sum();
    if (this.at !== this.tokens.length) throw new Error(`unexpected '${this.tokens[this.at]}' in '${this.text}'`);
    return node;
  }

  private sum(): Node {
    let left = this.product();
    while (this.peek() === '+' || this.peek() === '-') {
      const op = this.next();
      const l = left;
      const r = this.product();
      left = (get) => both(l(get), r(get), (a, b) => (op === '+' ? a + b : a - b));
    }
    return left;
  }

  private product(): Node {
    let left = this.factor();
    while (this.peek() === '*' || this.peek() === '/') {
      const op = this.next();
      const l = left;
      const r = this.factor();
      left = (get) => both(l(get), r(get), (a, b) => (op === '*' ? a * b : b === 0 ? undefined : a / b));
    }
    return left;
  }

  private factor(): Node {
    const token = this.next();
    if (token === '(') {
      const inner = this.sum();
      this.expect(')');
      return inner;
    }
    if (/^\d/.test(token)) {
      const n = Number(token);
      return () => n;
    }
    if (token === 'FILL') {
      this.expect('(');
      const inner = this.sum();
      this.expect(',');
      const fill = Number(this.next());
      this.expect(')');
      return (get) => inner(get) ?? fill;
    }
    if (token === 'MAX') {
      this.expect('(');
      this.expect('[');
      const items = [this.sum()];
      while (this.peek() === ',') {
        this.next();
        items.push(this.sum());
      }
      this.expect(']');
      this.expect(')');
      return (get) => {
        const present = items.map((i) => i(get)).filter((v): v is number => v !== undefined);
        return present.length === 0 ? undefined : Math.max(...present);
      };
    }
    if (/^[a-z]/.test(token)) return (get) => get(token);
    throw new Error(`unexpected '${token}' in '${this.text}'`);
  }

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error(`'${this.text}' ends too early`);
    return token;
  }

  private expect(token: string): void {
    const got = this.next();
    if (got !== token) throw new Error(`expected '${token}', got '${got}' in '${this.text}'`);
  }
}

function both(a: Value, b: Value, f: (a: number, b: number) => Value): Value {
  return a === undefined || b === undefined ? undefined : f(a, b);
}
