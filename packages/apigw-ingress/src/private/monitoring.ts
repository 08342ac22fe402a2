import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IngressMonitoring } from '@portcullis/cluster';

/** One minute: every alarm evaluates one-minute datapoints. */
const PERIOD = Duration.minutes(1);
/** Most of 5 minutes: 3 of 5 one-minute datapoints (a single bad minute does not page). */
const MOSTLY = { evaluationPeriods: 5, datapointsToAlarm: 3 };

/**
 * What `ApiMonitoring` (any monitoring construct taking an `IApiIngress`) watches of an HTTP
 * API: the 5xx rate of its requests and its p99 integration latency (API Gateway to the
 * service and back). Metrics of the whole API: with `detailedMetricsEnabled` on the stage the
 * routes have their own too, but a service's route is not a metric dimension of its own.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export function httpApiMonitoring(api: apigwv2.IHttpApi): IngressMonitoring {
  const errorRate = new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      requests: api.metricCount({ period: PERIOD, statistic: 'Sum' }),
    },
    label: 'HTTP API 5xx rate (% of requests)',
    period: PERIOD,
  });
  return {
    name: 'an ApiGatewayIngress',
    title: 'an HTTP API',
    alarms: [
      {
        id: 'HttpApi5xxRate', metric: errorRate, threshold: 5, thresholdProp: 'httpApi5xxRatePercent', ...MOSTLY,
        description: 'More than {threshold} % of the HTTP API\'s requests end in a 5xx in 3 of 5 minutes (the service, or the VPC link and Cloud Map in between).',
      },
      {
        // IntegrationLatency is in milliseconds
        id: 'IntegrationLatencyP99', metric: api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }), threshold: 2000, thresholdProp: 'p99IntegrationLatency', ...MOSTLY,
        description: 'p99 integration latency (API Gateway to the service and back) above {threshold} in 3 of 5 minutes.',
      },
    ],
    httpApi: api,
  };
}
