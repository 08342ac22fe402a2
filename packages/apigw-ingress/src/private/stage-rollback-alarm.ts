import { Duration, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ApiService } from '@portcullis/cluster';
import { Construct } from 'constructs';

/** Rollback alarm: the stage's 5xx above 1 % of its requests in 2 of 3 one-minute periods. */
export const STAGE_ROLLBACK_ALARM = { thresholdPercent: 1, datapointsToAlarm: 2, evaluationPeriods: 3, period: Duration.minutes(1) };

/**
 * Cloud Map alone cannot shift traffic: ECS's canary, linear and blue/green deployments move
 * production traffic between two target groups of a load balancer (or Service Connect), and
 * the VPC link resolves SRV records of every running task. A traffic-shifting `deployment`
 * is refused, naming the prop and the fixes.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html
 */
export function checkRollingDeployment(service: ApiService): void {
  if (!service.deployment.needsTrafficShift) return;
  throw new Error(`\`deployment\` ${service.deployment.toString()} of the service '${service.node.path}' cannot shift traffic behind API Gateway: the VPC link reaches the tasks through Cloud Map SRV records, ` +
    'which hold every running task and no weights, and ECS shifts traffic only between the target groups of a load balancer. ' +
    'Use `deployment: Deployment.rolling()` (rolled back on the stage\'s 5xx-rate alarm and the circuit breaker), or put the service behind an AlbIngress');
}

/**
 * The stage's 5xx rate, `100 * 5xx / Count` (HTTP API metrics with the ApiId and Stage
 * dimensions), above 1 % in 2 of 3 one-minute periods; minutes without requests do not breach.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export function stageRollbackAlarm(scope: Construct, stage: apigwv2.IHttpStage): cloudwatch.Alarm {
  const period = STAGE_ROLLBACK_ALARM.period;
  const rate = new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: stage.metricServerError({ period, statistic: 'Sum' }),
      requests: stage.metricCount({ period, statistic: 'Sum' }),
    },
    label: 'Stage 5xx rate (%)',
    period,
  });
  const alarm = rate.createAlarm(scope, 'RollbackAlarm', {
    alarmDescription: `Rollback alarm of the ECS services behind ${scope.node.path}: HTTP API 5xx responses above ${STAGE_ROLLBACK_ALARM.thresholdPercent} % of requests ` +
      `in ${STAGE_ROLLBACK_ALARM.datapointsToAlarm} of ${STAGE_ROLLBACK_ALARM.evaluationPeriods} minutes; in ALARM during a deployment, ECS rolls the deployment back`,
    threshold: STAGE_ROLLBACK_ALARM.thresholdPercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: STAGE_ROLLBACK_ALARM.evaluationPeriods,
    datapointsToAlarm: STAGE_ROLLBACK_ALARM.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  Validations.of(alarm).acknowledge({
    id: 'NIST.800.53.R5-CloudWatchAlarmAction',
    reason: 'A deployment rollback alarm: ECS reads its state during deployments and rolls back; it needs no alarm action (notify on it, or use @portcullis/monitoring, if you want to be told)',
  });
  return alarm;
}
