import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Network } from '@portcullis/network';
import * as fc from 'fast-check';
import { ApiService, ApiServiceProps, Deployment, FargateCluster } from '../src';

function fargate(props: Partial<ApiServiceProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, ...props });
  return { stack, network, cluster, service };
}

/** What AlbIngress does for a traffic-shifting service: two target groups, a weighted rule, an alternate target. */
function behindAlb(b: ReturnType<typeof fargate>, withAlternate = true) {
  const lb = new elbv2.ApplicationLoadBalancer(b.stack, 'Lb', { vpc: b.network.vpc, internetFacing: true });
  const blue = new elbv2.ApplicationTargetGroup(b.stack, 'Blue', { vpc: b.network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
  const green = new elbv2.ApplicationTargetGroup(b.stack, 'Green', { vpc: b.network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
  const listener = lb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.forward([blue]) });
  const rule = new elbv2.ApplicationListenerRule(b.stack, 'Rule', {
    listener, priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 100 }, { targetGroup: green, weight: 0 }]),
  });
  const alternate = withAlternate ? new ecs.AlternateTarget('Alt', { alternateTargetGroup: green, productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule) }) : undefined;
  b.service.attachToTargetGroup(blue, rule, alternate);
  return { lb, blue, green, rule };
}

const alarm = (stack: Stack, id: string) => new cloudwatch.Alarm(stack, id, {
  metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count' }), threshold: 1, evaluationPeriods: 1,
});

const serviceProps = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::Service'))[0].Properties;

describe('Deployment: the factories, their defaults and their public members', () => {
  test('rolling()', () => {
    const d = Deployment.rolling();
    expect([d.strategy, d.percent, d.stepBakeTime, d.bakeTime, d.needsTrafficShift]).toEqual([ecs.DeploymentStrategy.ROLLING, undefined, undefined, undefined, false]);
    expect([d.keepTrafficShiftResources, d.usesTrafficShiftResources]).toEqual([false, false]);
    expect(Deployment.rolling({}).usesTrafficShiftResources).toBe(false);
    expect(Deployment.rolling({ keepTrafficShiftResources: false }).usesTrafficShiftResources).toBe(false);
  });
  test('rolling({ keepTrafficShiftResources: true }): rolling, no traffic shift, but the traffic-shifting resources are used', () => {
    const d = Deployment.rolling({ keepTrafficShiftResources: true });
    expect([d.strategy, d.needsTrafficShift, d.keepTrafficShiftResources, d.usesTrafficShiftResources]).toEqual([ecs.DeploymentStrategy.ROLLING, false, true, true]);
  });
  test('usesTrafficShiftResources = needsTrafficShift || keepTrafficShiftResources', () => {
    for (const d of [Deployment.canary(), Deployment.linear(), Deployment.blueGreen()]) {
      expect([String(d), d.needsTrafficShift, d.keepTrafficShiftResources, d.usesTrafficShiftResources]).toEqual([String(d), true, false, true]);
    }
  });
  test('canary(): 5 %, 3 min, 3 min (as ECS Express Mode)', () => {
    const d = Deployment.canary();
    expect([d.strategy, d.percent, d.stepBakeTime?.toMinutes(), d.bakeTime?.toMinutes(), d.needsTrafficShift]).toEqual([ecs.DeploymentStrategy.CANARY, 5, 3, 3, true]);
  });
  test('linear(): 20 %, 2 min, 3 min', () => {
    const d = Deployment.linear();
    expect([d.strategy, d.percent, d.stepBakeTime?.toMinutes(), d.bakeTime?.toMinutes(), d.needsTrafficShift]).toEqual([ecs.DeploymentStrategy.LINEAR, 20, 2, 3, true]);
  });
  test('blueGreen(): 3 min bake time', () => {
    const d = Deployment.blueGreen();
    expect([d.strategy, d.percent, d.stepBakeTime, d.bakeTime?.toMinutes(), d.needsTrafficShift]).toEqual([ecs.DeploymentStrategy.BLUE_GREEN, undefined, undefined, 3, true]);
  });
  test('options are kept; the edges of ECS\'s ranges are accepted', () => {
    const c = Deployment.canary({ percent: 0.1, stepBakeTime: Duration.minutes(0), bakeTime: Duration.hours(24) });
    expect([c.percent, c.stepBakeTime?.toMinutes(), c.bakeTime?.toMinutes()]).toEqual([0.1, 0, 1440]);
    expect(Deployment.canary({ percent: 100 }).percent).toBe(100);
    expect(Deployment.canary({ percent: 12.3 }).percent).toBe(12.3);
    expect(Deployment.linear({ percent: 3 }).percent).toBe(3);
    expect(Deployment.linear({ percent: 100, stepBakeTime: Duration.minutes(1440) }).stepBakeTime?.toMinutes()).toBe(1440);
    expect(Deployment.blueGreen({ bakeTime: Duration.minutes(0) }).bakeTime?.toMinutes()).toBe(0);
  });
  test('toString names the factory, and the kept resources', () => {
    expect([Deployment.rolling(), Deployment.canary(), Deployment.linear(), Deployment.blueGreen()].map(String))
      .toEqual(['Deployment.rolling()', 'Deployment.canary()', 'Deployment.linear()', 'Deployment.blueGreen()']);
    expect(String(Deployment.rolling({ keepTrafficShiftResources: true }))).toBe('Deployment.rolling({ keepTrafficShiftResources: true })');
    expect(String(Deployment.rolling({ keepTrafficShiftResources: false }))).toBe('Deployment.rolling()');
  });
});

describe('bad input: rejected naming `deployment`, the option, the value and ECS\'s range', () => {
  test.each<[string, () => Deployment, RegExp]>([
    ['rolling keepTrafficShiftResources not a boolean', () => Deployment.rolling({ keepTrafficShiftResources: 'yes' as unknown as boolean }),
      /`deployment`: Deployment.rolling\(\{ keepTrafficShiftResources \}\) must be true or false at synth.*got 'yes': write true or false/],
    ['rolling keepTrafficShiftResources 1', () => Deployment.rolling({ keepTrafficShiftResources: 1 as unknown as boolean }), /keepTrafficShiftResources.*got 1/],
    ['canary percent 0', () => Deployment.canary({ percent: 0 }), /`deployment`: Deployment.canary\(\{ percent \}\) must be a multiple of 0.1 from 0.1 to 100 \(ECS's range\), got 0: use e.g. Deployment.canary\(\{ percent: 5 \}\)/],
    ['canary percent 100.1', () => Deployment.canary({ percent: 100.1 }), /Deployment.canary\(\{ percent \}\) must be a multiple of 0.1 from 0.1 to 100.*got 100.1/],
    ['canary percent 5.05 (not a multiple of 0.1)', () => Deployment.canary({ percent: 5.05 }), /got 5.05/],
    ['canary percent NaN', () => Deployment.canary({ percent: NaN }), /got NaN/],
    ['canary percent -5', () => Deployment.canary({ percent: -5 }), /got -5/],
    ['linear percent 2.9', () => Deployment.linear({ percent: 2.9 }), /`deployment`: Deployment.linear\(\{ percent \}\) must be a multiple of 0.1 from 3 to 100 \(ECS's range\), got 2.9: use e.g. Deployment.linear\(\{ percent: 20 \}\)/],
    ['linear percent Infinity', () => Deployment.linear({ percent: Infinity }), /got Infinity/],
    ['canary stepBakeTime 90 s', () => Deployment.canary({ stepBakeTime: Duration.seconds(90) }), /`deployment`: Deployment.canary\(\{ stepBakeTime \}\) must be a whole number of minutes from 0 to 1440 \(ECS's range, 24 hours\), got Duration.seconds\(90\): use e.g. Duration.minutes\(2\)/],
    ['canary bakeTime 25 h', () => Deployment.canary({ bakeTime: Duration.hours(25) }), /Deployment.canary\(\{ bakeTime \}\) must be a whole number of minutes from 0 to 1440.*got Duration.hours\(25\)/],
    ['linear stepBakeTime 1441 min', () => Deployment.linear({ stepBakeTime: Duration.minutes(1441) }), /Deployment.linear\(\{ stepBakeTime \}\).*got Duration.minutes\(1441\)/],
    ['blueGreen bakeTime NaN', () => Deployment.blueGreen({ bakeTime: Duration.minutes(NaN) }), /Deployment.blueGreen\(\{ bakeTime \}\).*got Duration.minutes\(NaN\)/],
    ['blueGreen bakeTime 1.5 min', () => Deployment.blueGreen({ bakeTime: Duration.seconds(90) }), /Deployment.blueGreen\(\{ bakeTime \}\)/],
    ['canary longer than CloudFormation\'s 33 h', () => Deployment.canary({ stepBakeTime: Duration.hours(24), bakeTime: Duration.hours(24) }),
      /`deployment`: Deployment.canary would take 2880 minutes \(bakeTime 1440 \+ stepBakeTime 1440 × 1 step\(s\)\), more than the 1980 minutes \(33 hours\) CloudFormation accepts: shorten `stepBakeTime` or `bakeTime`/],
    ['linear 3 % steps of 60 min (33 steps) + 3 min', () => Deployment.linear({ percent: 3, stepBakeTime: Duration.minutes(60) }),
      /Deployment.linear would take 1983 minutes \(bakeTime 3 \+ stepBakeTime 60 × 33 step\(s\)\).*or raise `percent`/],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  test('the 33 h ceiling: exactly 1980 minutes is accepted; 10 % steps count 9 (the last shift has no step bake time)', () => {
    expect(() => Deployment.linear({ percent: 10, stepBakeTime: Duration.minutes(200), bakeTime: Duration.minutes(180) })).not.toThrow(); // 180 + 9 × 200 = 1980
    expect(() => Deployment.linear({ percent: 10, stepBakeTime: Duration.minutes(200), bakeTime: Duration.minutes(181) })).toThrow(/1981 minutes/);
    expect(() => Deployment.canary({ stepBakeTime: Duration.minutes(1440), bakeTime: Duration.minutes(540) })).not.toThrow();
  });

  test('property: any percent outside ECS\'s range or off the 0.1 grid is rejected, naming `deployment` and `percent`', () => {
    fc.assert(fc.property(
      fc.constantFrom('canary', 'linear'),
      fc.oneof(
        fc.constantFrom(NaN, Infinity, -Infinity),
        fc.double({ min: -1000, max: 0.09, noNaN: true }),
        fc.double({ min: 100.01, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 999 }).map((n) => n / 10 + 0.05),
      ),
      (kind, percent) => {
        const make = () => kind === 'canary' ? Deployment.canary({ percent }) : Deployment.linear({ percent });
        expect(make).toThrow(/^`deployment`: Deployment\.(canary|linear)\(\{ percent \}\)/);
      },
    ), { numRuns: 200 });
  });

  test('a traffic-shifting strategy on a service no load balancer attaches: an error at synth naming `deployment` and the fix', () => {
    for (const deployment of [Deployment.canary(), Deployment.linear(), Deployment.blueGreen()]) {
      const b = fargate({ deployment });
      expect(() => Template.fromStack(b.stack)).toThrow(new RegExp(`\`deployment\` ${String(deployment).replace(/[()]/g, '\\$&')} needs an Application Load Balancer to shift traffic, but the service 'Test/Api' is attached to none: put it behind an AlbIngress.*or use \`deployment: Deployment.rolling\\(\\)\``));
    }
  });

  test('a traffic-shifting strategy attached to a target group without an alternate target: an error at synth', () => {
    const b = fargate({ deployment: Deployment.canary() });
    behindAlb(b, false);
    expect(() => Template.fromStack(b.stack)).toThrow(/`deployment` Deployment.canary\(\): 1 of the 1 load-balancer registrations of 'Test\/Api' have no alternate target/);
  });

  test('rollbackAlarms: false with canary, linear or blue/green: a warning naming the risk and the fix; none with rolling', () => {
    for (const deployment of [Deployment.canary(), Deployment.linear(), Deployment.blueGreen()]) {
      const b = fargate({ deployment, rollbackAlarms: false });
      behindAlb(b);
      Annotations.fromStack(b.stack).hasWarning('/Test/Api', Match.stringLikeRegexp(`^\`rollbackAlarms: false\` with \`deployment\` ${String(deployment).replace(/[()]/g, '\\$&')}: ECS shifts production traffic.*Keep \`rollbackAlarms\` on, or add your own alarm with \`addRollbackAlarm\\(alarm\\)\``));
    }
    const rolling = fargate({ rollbackAlarms: false });
    Annotations.fromStack(rolling.stack).hasNoWarning('/Test/Api', Match.anyValue());
  });
});

describe('rollback alarms', () => {
  test('default rolling service with no alarm added: ECS alarms stay off and a warning names the fixes', () => {
    const b = fargate();
    expect(b.service.deployment.strategy).toBe(ecs.DeploymentStrategy.ROLLING);
    expect(b.service.rollbackAlarms).toBe(true);
    expect(serviceProps(b.stack).DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [], Enable: false, Rollback: false });
    Annotations.fromStack(b.stack).hasWarning('/Test/Api', Match.stringLikeRegexp(
      "^`rollbackAlarms` is on but no rollback alarm was added to the service 'Test/Api'.*Put it behind an AlbIngress or an ApiGatewayIngress.*`addRollbackAlarm\\(alarm\\)`.*`rollbackAlarms: false`"));
  });

  test('rollbackAlarms: false and no alarm: no warning', () => {
    const b = fargate({ rollbackAlarms: false });
    Annotations.fromStack(b.stack).hasNoWarning('/Test/Api', Match.anyValue());
  });

  test('addRollbackAlarm: names (Refs, so the alarms exist in the template) in DeploymentConfiguration.Alarms with rollback; the circuit breaker kept; added after construction too', () => {
    const b = fargate();
    b.service.addRollbackAlarm(alarm(b.stack, 'First'));
    const second = alarm(b.stack, 'Second');
    b.service.addRollbackAlarm(second);
    b.service.addRollbackAlarm(second); // once
    const config = serviceProps(b.stack).DeploymentConfiguration;
    const alarms = Object.keys(Template.fromStack(b.stack).findResources('AWS::CloudWatch::Alarm'));
    expect(config.Alarms).toEqual({ AlarmNames: alarms.map((id) => ({ Ref: id })), Enable: true, Rollback: true });
    expect(config.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(b.service.attachedRollbackAlarms).toHaveLength(2);
    Annotations.fromStack(b.stack).hasNoWarning('/Test/Api', Match.stringLikeRegexp('no rollback alarm'));
  });

  test('addRollbackAlarm works with rollbackAlarms: false (the prop only stops the ingresses\' default alarms)', () => {
    const b = fargate({ rollbackAlarms: false });
    b.service.addRollbackAlarm(alarm(b.stack, 'Mine'));
    expect(serviceProps(b.stack).DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [{ Ref: expect.stringMatching(/^Mine/) }], Enable: true, Rollback: true });
  });

  test('canary behind a load balancer: strategy, canary step, bake time, alternate target, deployment controller ECS', () => {
    const b = fargate({ deployment: Deployment.canary({ percent: 10 }) });
    const { green, rule } = behindAlb(b);
    b.service.addRollbackAlarm(alarm(b.stack, 'Errors'));
    const svc = serviceProps(b.stack);
    expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
    expect(svc.DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'CANARY', BakeTimeInMinutes: 3, CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 3 },
      Alarms: { AlarmNames: [{ Ref: expect.stringMatching(/^Errors/) }], Enable: true, Rollback: true },
    }));
    expect(svc.LoadBalancers[0].AdvancedConfiguration).toEqual(expect.objectContaining({
      AlternateTargetGroupArn: b.stack.resolve(green.targetGroupArn),
      ProductionListenerRule: b.stack.resolve(rule.listenerRuleArn),
    }));
  });
});

describe('rolling: `Strategy: ROLLING` always; keepTrafficShiftResources keeps the load-balancer configuration', () => {
  test('a plain rolling service writes Strategy ROLLING (not CloudFormation\'s default by omission), no bake time, no AdvancedConfiguration', () => {
    const b = fargate();
    const lb = new elbv2.ApplicationLoadBalancer(b.stack, 'Lb', { vpc: b.network.vpc, internetFacing: true });
    const tg = new elbv2.ApplicationTargetGroup(b.stack, 'Tg', { vpc: b.network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    const listener = lb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.forward([tg]) });
    b.service.attachToTargetGroup(tg, listener);
    const svc = serviceProps(b.stack);
    expect(svc.DeploymentConfiguration.Strategy).toBe('ROLLING');
    expect(svc.DeploymentConfiguration.BakeTimeInMinutes).toBeUndefined();
    expect(svc.DeploymentConfiguration.CanaryConfiguration).toBeUndefined();
    expect(svc.LoadBalancers[0].AdvancedConfiguration).toBeUndefined();
    expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('keepTrafficShiftResources behind an ALB: Strategy ROLLING together with the AdvancedConfiguration (aws-cdk-lib 2.275 accepts the pair, no L1 override)', () => {
    const b = fargate({ deployment: Deployment.rolling({ keepTrafficShiftResources: true }) });
    const { green, rule } = behindAlb(b);
    b.service.addRollbackAlarm(alarm(b.stack, 'Errors'));
    const svc = serviceProps(b.stack);
    expect(svc.DeploymentConfiguration.Strategy).toBe('ROLLING');
    expect(svc.DeploymentConfiguration.BakeTimeInMinutes).toBeUndefined();
    expect(svc.DeploymentConfiguration.CanaryConfiguration).toBeUndefined();
    expect(svc.DeploymentConfiguration.LinearConfiguration).toBeUndefined();
    expect(svc.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(svc.LoadBalancers[0].AdvancedConfiguration).toEqual(expect.objectContaining({
      AlternateTargetGroupArn: b.stack.resolve(green.targetGroupArn),
      ProductionListenerRule: b.stack.resolve(rule.listenerRuleArn),
      RoleArn: expect.anything(),
    }));
    Annotations.fromStack(b.stack).hasNoWarning('/Test/Api', Match.stringLikeRegexp('alternate target'));
    // a rolling service: no warning about rollbackAlarms: false being risky for traffic shifting
    const off = fargate({ deployment: Deployment.rolling({ keepTrafficShiftResources: true }), rollbackAlarms: false });
    behindAlb(off);
    Annotations.fromStack(off.stack).hasNoWarning('/Test/Api', Match.stringLikeRegexp('rollbackAlarms: false'));
  });

  test('canary -> rolling with keepTrafficShiftResources changes only the strategy settings of the deployed template', () => {
    const before = fargate({ deployment: Deployment.canary() });
    behindAlb(before);
    const after = fargate({ deployment: Deployment.rolling({ keepTrafficShiftResources: true }) });
    behindAlb(after);
    const b = Template.fromStack(before.stack).toJSON();
    const a = Template.fromStack(after.stack).toJSON();
    // every resource but the service is identical: the alternate group, the weighted rule and the role stay
    for (const id of Object.keys(b.Resources)) {
      if (b.Resources[id].Type === 'AWS::ECS::Service') continue;
      expect([id, a.Resources[id]]).toEqual([id, b.Resources[id]]);
    }
    expect(Object.keys(a.Resources).sort()).toEqual(Object.keys(b.Resources).sort());
    const [id] = Object.keys(b.Resources).filter((k) => b.Resources[k].Type === 'AWS::ECS::Service');
    expect(a.Resources[id].Properties.LoadBalancers).toEqual(b.Resources[id].Properties.LoadBalancers);
    expect(a.Resources[id].Properties.DeploymentConfiguration.Strategy).toBe('ROLLING');
    expect(b.Resources[id].Properties.DeploymentConfiguration.Strategy).toBe('CANARY');
  });

  test('keepTrafficShiftResources without any load balancer: an error at synth naming the prop and the fix', () => {
    const b = fargate({ deployment: Deployment.rolling({ keepTrafficShiftResources: true }) });
    expect(() => Template.fromStack(b.stack)).toThrow(
      /`deployment` Deployment.rolling\(\{ keepTrafficShiftResources: true \}\) keeps the alternate target group, production listener rule and role of an Application Load Balancer, but the service 'Test\/Api' is attached to no load balancer: there is nothing to keep. Use `deployment: Deployment.rolling\(\)` \(without `keepTrafficShiftResources`\)/);
  });

  test('keepTrafficShiftResources with a registration that has no alternate target: an error at synth', () => {
    const b = fargate({ deployment: Deployment.rolling({ keepTrafficShiftResources: true }) });
    behindAlb(b, false);
    expect(() => Template.fromStack(b.stack)).toThrow(
      /`deployment` Deployment.rolling\(\{ keepTrafficShiftResources: true \}\): 1 of the 1 load-balancer registrations of 'Test\/Api' have no alternate target: a registration without one loses its AdvancedConfiguration.*without `keepTrafficShiftResources`/);
  });

  test('a plain rolling service attached with an alternate target: a warning naming keepTrafficShiftResources', () => {
    const b = fargate();
    behindAlb(b);
    Annotations.fromStack(b.stack).hasWarning('/Test/Api', Match.stringLikeRegexp(
      "^`deployment` Deployment.rolling\\(\\) of 'Test/Api' does not shift traffic, but 1 load-balancer registration\\(s\\) have an alternate target.*`Deployment.rolling\\(\\{ keepTrafficShiftResources: true \\}\\)`"));
    const plain = fargate();
    behindAlb(plain, false);
    Annotations.fromStack(plain.stack).hasNoWarning('/Test/Api', Match.stringLikeRegexp('alternate target'));
  });
});

test('F10: the circuit breaker is kept with every strategy (the README states what AWS documents and why), and circuitBreaker: false drops it for each', () => {
  for (const make of [() => Deployment.rolling(), () => Deployment.canary(), () => Deployment.linear(), () => Deployment.blueGreen()]) {
    const on = fargate({ deployment: make() });
    behindAlb(on, make().usesTrafficShiftResources);
    expect([String(make()), serviceProps(on.stack).DeploymentConfiguration.DeploymentCircuitBreaker]).toEqual([String(make()), { Enable: true, Rollback: true }]);
    const off = fargate({ deployment: make(), circuitBreaker: false });
    behindAlb(off, make().usesTrafficShiftResources);
    expect(serviceProps(off.stack).DeploymentConfiguration.DeploymentCircuitBreaker).toBeUndefined();
  }
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain('https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html');
  expect(readme).toContain('https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html');
});
