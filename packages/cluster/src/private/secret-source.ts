import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

/** Where an ECS secret is read from at task start, and in which Region when that is written literally. */
export interface SecretSource {
  /** `secretsmanager`, `ssm`, or undefined when it cannot be told at synth. */
  readonly service?: 'secretsmanager' | 'ssm';
  /** The Region field of the secret's ARN, when it is written literally. */
  readonly region?: string;
}

const RESOURCE_SERVICES: Record<string, 'secretsmanager' | 'ssm'> = {
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::SSM::Parameter': 'ssm',
};

/**
 * Tells a Secrets Manager secret from an SSM parameter by its ARN: the service field of a
 * written ARN (tokens may fill the other fields), or the type of the resource a `Ref` /
 * `Fn::GetAtt` points to.
 */
export function secretSource(scope: Construct, secret: ecs.Secret): SecretSource {
  const arn = secret.arn;
  const literal = Token.isUnresolved(arn) ? arn.replace(/\$\{Token\[[^\]]*\]\}/g, '\u0000') : arn;
  const fields = literal.split(':');
  if (fields[0] === 'arn' || (fields[0] === '\u0000' && fields.length >= 6)) {
    const service = fields[2] === 'secretsmanager' || fields[2] === 'ssm' ? fields[2] : undefined;
    const region = fields[3] !== undefined && fields[3] !== '' && !fields[3].includes('\u0000') ? fields[3] : undefined;
    if (service) return { service, region };
  }
  const token = Tokenization.reverseString(arn).firstToken;
  const target = token instanceof Reference ? token.target : undefined;
  if (target instanceof CfnResource) return { service: RESOURCE_SERVICES[target.cfnResourceType] };
  // e.g. an ARN computed by an intrinsic: as a last resort, the service named in what it resolves to
  const resolved = JSON.stringify(Stack.of(scope).resolve(arn));
  const written = /:(secretsmanager|ssm):/.exec(resolved);
  return written ? { service: written[1] as 'secretsmanager' | 'ssm' } : {};
}
