import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { retention } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';

/** Properties of an {@link HttpApiAccessLog}. */
export interface HttpApiAccessLogProps {
  /**
   * How long access-log records are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * The access log of an HTTP API stage: a log group with a finite retention (the seed's
 * never expired) and a JSON format with the seed's fields (request id, source IP, caller,
 * user, request time, route key, status) plus the integration error and latencies, which
 * are what you need to debug a VPC link integration.
 *
 * Pass `accessLogSettings` to an `apigwv2.HttpStage`.
 */
export class HttpApiAccessLog extends Construct {
  /** The fields of every access-log record: JSON key -> `$context` variable. */
  public static readonly FIELDS: Record<string, string> = {
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    caller: '$context.identity.caller',
    user: '$context.identity.user',
    requestTime: '$context.requestTime',
    httpMethod: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  };

  /** The log group records are written to. */
  public readonly logGroup: logs.ILogGroup;
  /** The access-log format: one JSON object per request. */
  public readonly format: string;
  /** Settings for `apigwv2.HttpStage`'s `accessLogSettings`. */
  public readonly accessLogSettings: apigwv2.IAccessLogSettings;

  constructor(scope: Construct, id: string, props?: HttpApiAccessLogProps) {
    super(scope, id);
    // RetentionDays.INFINITE, Infinity, NaN and numbers that are no RetentionDays value are
    // refused: access logs hold client IPs and would be kept (and billed) forever
    retention('retention', props?.retention);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props?.retention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (this.logGroup.node.defaultChild as logs.CfnLogGroup).addMetadata('checkov', {
      skip: [{ id: 'CKV_AWS_158', comment: 'CloudWatch Logs encrypts access logs at rest with AWS-owned keys; a customer-managed KMS key adds cost and key policy, not protection these logs need' }],
    });
    this.format = JSON.stringify(HttpApiAccessLog.FIELDS);
    this.accessLogSettings = {
      destination: new apigwv2.LogGroupLogDestination(this.logGroup),
      format: apigw.AccessLogFormat.custom(this.format),
    };
  }
}
