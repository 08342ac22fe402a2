/**
 * Just enough of CloudWatch metric math to evaluate the rollback alarms' expressions on a
 * made-up series, one datapoint per period: numbers, metric ids, + - * /, comparisons (1 or
 * 0), FILL(m, value) and IF(condition, a, b). A missing datapoint (`undefined`) stays missing
 * through arithmetic, as in CloudWatch; division by zero gives no datapoint.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
export type Datapoint = number | undefined;

export function evaluate(expression: string, metrics: Record<string, Datapoint>): Datapoint {
  const tokens = expression.match(/\d+(\.\d+)?|[A-Za-z_]\w*|>=|<=|[-+*/(),<>]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (expected !== undefined && token !== expected) throw new Error(`expected '${expected}' at token ${i} of '${expression}', got '${token}'`);
    return token;
  };
  const arith = (a: Datapoint, b: Datapoint, f: (x: number, y: number) => number): Datapoint => (a === undefined || b === undefined ? undefined : f(a, b));
  const comparison = (): Datapoint => {
    let left = additive();
    while (['>', '<', '>=', '<='].includes(peek())) {
      const op = take();
      const right = additive();
      left = arith(left, right, (x, y) => Number(op === '>' ? x > y : op === '<' ? x < y : op === '>=' ? x >= y : x <= y));
    }
    return left;
  };
  const additive = (): Datapoint => {
    let left = multiplicative();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const right = multiplicative();
      left = arith(left, right, (x, y) => (op === '+' ? x + y : x - y));
    }
    return left;
  };
  const multiplicative = (): Datapoint => {
    let left = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const right = primary();
      left = op === '*' ? arith(left, right, (x, y) => x * y) : (right === 0 ? undefined : arith(left, right, (x, y) => x / y));
    }
    return left;
  };
  const primary = (): Datapoint => {
    const token = take();
    if (token === '(') {
      const value = comparison();
      take(')');
      return value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === 'FILL' || token === 'IF') {
      take('(');
      const args = [comparison()];
      while (peek() === ',') {
        take(',');
        args.push(comparison());
      }
      take(')');
      if (token === 'FILL') return args[0] ?? args[1];
      return args[0] === undefined ? undefined : (args[0] !== 0 ? args[1] : args[2]);
    }
    if (!(token in metrics)) throw new Error(`unknown metric id '${token}' in '${expression}'`);
    return metrics[token];
  };
  const value = comparison();
  if (i !== tokens.length) throw new Error(`unexpected '${tokens[i]}' in '${expression}'`);
  return value;
}

/**
 * The alarm state after `series` (one value per period, newest last): ALARM when at least
 * `datapointsToAlarm` of the last `evaluationPeriods` values are above `threshold`; missing
 * values do not breach (`treatMissingData: notBreaching`).
 */
export function alarmState(series: Datapoint[], alarm: { threshold: number; evaluationPeriods: number; datapointsToAlarm: number }): 'ALARM' | 'OK' {
  const window = series.slice(-alarm.evaluationPeriods);
  const breaching = window.filter((v) => v !== undefined && v > alarm.threshold).length;
  return breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}
