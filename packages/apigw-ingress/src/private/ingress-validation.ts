import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { arn, domainInZone, domainName, duration, finiteNumber, retention, show, synthTimeValue, wholeNumber } from '@portcullis/network/lib/private/validate';

/**
 * The largest `throttlingBurstLimit`: the stage's `ThrottlingBurstLimit` is an Integer (32-bit
 * signed), `ThrottlingRateLimit` a Number (a double).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigatewayv2-stage-routesettings.html
 */
export const MAX_BURST_LIMIT = 2_147_483_647;

/**
 * The largest CORS `maxAge` of an HTTP API: 86400 seconds.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-apigatewayv2-api-cors.html
 */
export const MAX_CORS_MAX_AGE_SECONDS = 86400;

/** The props of an ApiGatewayIngress that are plain values (checked before anything is created). */
export interface IngressValues {
  readonly namespaceName?: string;
  readonly hasNamespace: boolean;
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  readonly domainName?: string;
  readonly certificate?: acm.ICertificate;
  readonly hostedZone?: route53.IHostedZone;
  readonly corsMaxAge?: Duration;
  readonly accessLogRetention?: logs.RetentionDays;
}

/**
 * Validates the value props of an ApiGatewayIngress: each error names the prop, the value
 * received and the fix; tokens are accepted wherever CloudFormation accepts them.
 */
export function validateIngressValues(stack: Stack, v: IngressValues): void {
  // Cloud Map creates a Route 53 private hosted zone of the namespace's name: a DNS name
  // (`Name`: at most 253 characters). https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-servicediscovery-privatednsnamespace.html
  domainName('namespaceName', v.namespaceName);
  if (v.namespaceName !== undefined && v.hasNamespace) {
    throw new Error(`\`namespaceName\` ${show(v.namespaceName)} names the namespace the ingress creates, but \`namespace\` is given too (the ingress creates none): remove one of them`);
  }

  const rate = v.throttlingRateLimit;
  const burst = v.throttlingBurstLimit;
  finiteNumber('throttlingRateLimit', rate, {
    min: 0, fix: 'use a number of requests per second >= 0 (fractions allowed), or leave it out for the account\'s regional limit',
  });
  wholeNumber('throttlingBurstLimit', burst, {
    min: 0, max: MAX_BURST_LIMIT, fix: `use a whole number of requests from 0 to ${MAX_BURST_LIMIT} (API Gateway stores it as a 32-bit integer), or leave it out for the account's regional limit`,
  });
  if (rate !== undefined && burst !== undefined && !Token.isUnresolved(rate) && !Token.isUnresolved(burst) && burst < rate) {
    throw new Error(`\`throttlingBurstLimit\` (${burst}) must be >= \`throttlingRateLimit\` (${rate}): a burst below the steady rate would throttle steady traffic; raise the burst to at least ${Math.ceil(rate)}`);
  }

  if (v.domainName !== undefined) {
    // API Gateway custom domain names, wildcards included:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
    domainName('domainName', v.domainName, { allowWildcard: true });
    if (!Token.isUnresolved(v.domainName) && v.domainName.endsWith('.')) {
      throw new Error(`\`domainName\` must be a domain name without a trailing dot, got ${show(v.domainName)}: use '${v.domainName.slice(0, -1)}' (API Gateway and ACM names take no trailing dot)`);
    }
    if (v.hostedZone) domainInZone('domainName', v.domainName, zoneNameOf(v.hostedZone));
  }
  if (v.certificate) validateCertificate(stack, v.certificate.certificateArn);

  duration('cors.maxAge', v.corsMaxAge, { minSeconds: 0, maxSeconds: MAX_CORS_MAX_AGE_SECONDS });
  tokenDurationInSeconds('cors.maxAge', v.corsMaxAge);
  retention('accessLogRetention', v.accessLogRetention);
}

/**
 * A token duration is accepted only when written in seconds, the unit CloudFormation takes:
 * aws-cdk-lib converts it with `toSeconds()`, which cannot convert a token from another unit
 * and throws an error that names no prop ("Duration must be specified as 'Duration.seconds()'
 * here since its value comes from a token").
 */
function tokenDurationInSeconds(prop: string, d: Duration | undefined): void {
  if (d === undefined || !d.isUnresolved() || d.unitLabel() === 'seconds') return;
  throw new Error(`\`${prop}\` must be written as Duration.seconds(...) when its value is a token, got Duration.${d.unitLabel()}(<token>): ` +
    'CloudFormation takes seconds, and a token cannot be converted between units at synth; use Duration.seconds(<the same parameter>) with the value in seconds');
}

/** The zone's name, or undefined when the zone was imported without one (`fromHostedZoneId`). */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined; // HostedZone.fromHostedZoneId: the name is unknown, nothing to compare
  }
}

/**
 * The certificate's ARN is an ACM certificate ARN; when both its region and the stack's are
 * known, they are the same: a regional custom domain name needs a certificate in the API's
 * own region. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
 */
function validateCertificate(stack: Stack, certificateArn: string): void {
  arn('certificate', certificateArn, { service: 'acm', resourcePrefix: 'certificate/', description: 'an ACM certificate ARN' });
  const region = certificateArn.split(':')[3];
  if (region !== undefined && region !== '' && !Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region !== stack.region) {
    throw new Error(`\`certificate\` must be an ACM certificate in the API's region (${stack.region}), got one in ${region} (${certificateArn}): ` +
      `a regional custom domain name needs a certificate in its own region; request or import the certificate in ${stack.region}`);
  }
}

/** Paths: letters, digits and `._~-` in segments, no trailing slash, no parameters. */
const PATH = /^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

/**
 * The path prefix of `addService`: `/orders` or `/v1/orders`, no trailing slash, no
 * parameters (the ingress adds `{proxy+}` itself). It must be known at synth time:
 * aws-cdk-lib names each route's construct after its route key, and construct ids cannot
 * hold tokens ("ID components may not include unresolved tokens").
 */
export function validatePath(path: string): void {
  synthTimeValue('path', path, 'aws-cdk-lib names the routes\' constructs after it, and paths are compared for uniqueness',
    'write the prefix as a literal string, e.g. \'/orders\'');
  if (typeof path !== 'string' || !PATH.test(path)) {
    const hint = path === '/' ? '\'/\' is the `$default` route, which already sends every other path to the default service; '
      : typeof path === 'string' && path.includes('{') ? 'the ingress adds `{proxy+}` itself, and parameters are not prefixes; '
        : '';
    throw new Error(`\`path\` must look like '/orders' or '/v1/orders' (segments of letters, digits and ._~-, no trailing slash, no parameters), got ${show(path)}: ${hint}give the prefix the service answers under`);
  }
}
