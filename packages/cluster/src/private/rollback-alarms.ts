import { Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * The ECS deployment alarms of a service (`DeploymentConfiguration.Alarms`), filled lazily at
 * synth from the alarms added until then: `Enable: true, Rollback: true` and every alarm's
 * name (a `Ref` for an alarm of the same stack, so the alarm exists before the service
 * deploys). Without alarms, aws-cdk-lib's own value is kept (`Enable: false`).
 *
 * Written on the L1, not through `BaseService.enableDeploymentAlarms()`: aws-cdk-lib 2.275
 * drops alarm names given to it after construction (aws-cdk#36308), and the ingresses that
 * create the alarms run after the service is constructed.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 */
export class RollbackAlarmList {
  private readonly alarms: cloudwatch.IAlarm[] = [];

  constructor(service: ecs.BaseService) {
    const cfn = service.node.defaultChild as ecs.CfnService;
    const config = (cfn.deploymentConfiguration ?? {}) as ecs.CfnService.DeploymentConfigurationProperty;
    const original = config.alarms;
    cfn.deploymentConfiguration = {
      ...config,
      alarms: Lazy.any({
        produce: () => this.alarms.length === 0 ? original : {
          alarmNames: this.alarms.map((alarm) => alarm.alarmName),
          enable: true,
          rollback: true,
        },
      }),
    };
  }

  /** Adds an alarm (once). */
  public add(alarm: cloudwatch.IAlarm): void {
    if (!this.alarms.includes(alarm)) this.alarms.push(alarm);
  }

  /** The alarms added so far. */
  public get list(): cloudwatch.IAlarm[] {
    return [...this.alarms];
  }
}
