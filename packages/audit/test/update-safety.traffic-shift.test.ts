// UpdateSafety knows ECS native traffic shifting (canary, linear, blue/green): a write of the
// production listener rule puts the template's weights back over the ones ECS set.
import { UpdateChange, UpdateSafety, UpdateSafetyFinding, UpdateSafetyReport } from '../src';
import { handAssembly, template, trafficShift, TrafficShiftOptions } from './update-safety-fixtures';
import { runCli } from './run-cli';

const byId = (findings: UpdateSafetyFinding[], id: string) => findings.find((f) => f.logicalId === id);
/** The verdicts of a report: what a change does to what, and whether it fails. */
const verdicts = (r: UpdateSafetyReport) => r.findings.map((f) => `${f.logicalId} ${f.change} ${f.breaksClients ? 'breaking' : 'note'}${f.acknowledged ? ' acknowledged' : ''}`).sort();

const deployed = trafficShift();

/** Item 1's changes of the issue, from the deployed canary stack: what each writes. */
const changes: Array<[string, TrafficShiftOptions, string[]]> = [
  ['adding HTTPS (the rule moves to the new listener: replaced)', { listener: 'Https' }, ['ProdRule REPLACE breaking']],
  ['changing containerPort (both groups replaced, the rule updated with their new ARNs)', { containerPort: 8080 },
    ['Blue REPLACE breaking', 'Green REPLACE breaking', 'ProdRule UPDATE breaking', 'TaskDef REPLACE note']],
  ['switching capacity to Spot (LaunchType -> strategy replaces the service)', { capacity: 'spot' }, ['ApiService REPLACE breaking']],
  ['canary -> rolling removing the rule, the alternate group and the role', { deployment: 'rolling' },
    ['ApiService UPDATE breaking', 'Green REMOVE breaking', 'ProdRule REMOVE breaking', 'ShiftRole REMOVE note']],
  ['canary -> rolling keeping the rule and groups but dropping AdvancedConfiguration', { deployment: 'rollingKeepingResources' }, ['ApiService UPDATE breaking']],
  ['changing the rule\'s paths (an addService rule)', { paths: ['/api/*'] }, ['ProdRule UPDATE breaking']],
];

describe('from the deployed template (100/0)', () => {
  test.each(changes)('%s', (_name, opts, expected) => {
    const report = UpdateSafety.compare(deployed, trafficShift(opts));
    expect(verdicts(report)).toEqual(expected);
    expect(report.passed).toBe(false);
  });

  test('the reason names the rule\'s service, the weights CloudFormation writes and the group traffic may lose', () => {
    const report = UpdateSafety.compare(deployed, trafficShift({ paths: ['/api/*'] }));
    const rule = byId(report.breaking, 'ProdRule')!;
    expect(rule).toMatchObject({ resourceType: 'AWS::ElasticLoadBalancingV2::ListenerRule', change: UpdateChange.UPDATE, reasons: ['Conditions'], breaksClients: true, acknowledged: false });
    expect(rule.impact).toBe('production listener rule of service ApiService: CloudFormation writes the template\'s weights (100/0) back over the weights ECS set at the last deployment; '
      + 'if ECS moved the live tasks to the alternate target group (Green), all traffic goes to a group without tasks');
    const https = byId(UpdateSafety.compare(deployed, trafficShift({ listener: 'Https' })).breaking, 'ProdRule')!;
    expect(https.reasons).toEqual(['ListenerArn']);
    expect(https.impact).toMatch(/^production listener rule of service ApiService: CloudFormation creates the new rule with the template's weights \(100\/0\)/);
  });

  test('containerPort: the rule is written in place because the groups it references are replaced (its text is unchanged)', () => {
    const report = UpdateSafety.compare(deployed, trafficShift({ containerPort: 8080 }));
    expect(byId(report.findings, 'ProdRule')!.reasons).toEqual(['Actions references Blue, which is replaced', 'Actions references Green, which is replaced']);
    expect(byId(report.findings, 'Green')!.impact).toMatch(/^alternate \(AlternateTargetGroupArn\) target group of service ApiService is recreated empty/);
    expect(byId(report.findings, 'Blue')!.impact).toMatch(/^primary \(TargetGroupArn\) target group of service ApiService is recreated empty/);
  });

  test('a replaced traffic-shifting service: two services would claim one production rule', () => {
    const svc = byId(UpdateSafety.compare(deployed, trafficShift({ capacity: 'spot' })).findings, 'ApiService')!;
    expect(svc.reasons).toEqual(['LaunchType']);
    expect(svc.impact).toMatch(/^service ApiService shifts traffic \(CANARY\) on production listener rule ProdRule: .*two services would claim one production rule while CloudFormation replaces it/);
  });

  test('canary -> rolling: the service\'s finding says what goes and points to AWS\'s documented path', () => {
    const svc = byId(UpdateSafety.compare(deployed, trafficShift({ deployment: 'rolling' })).findings, 'ApiService')!;
    expect(svc.reasons).toEqual(['LoadBalancers[0].AdvancedConfiguration removed (Strategy CANARY -> ROLLING)']);
    expect(svc.impact).toMatch(/CloudFormation deletes ProdRule, Green in the same update/);
    expect(svc.impact).toMatch(/update-bluegreen-to-rolling\.html/);
  });

  test('AWS\'s documented switch (Strategy ROLLING, AdvancedConfiguration kept) writes no rule: passes', () => {
    const report = UpdateSafety.compare(deployed, trafficShift({ deployment: 'rollingKeepingConfig' }));
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
  });

  test('a weight change written in the template is a write of the production rule: breaking', () => {
    const after = trafficShift();
    after.Resources.ProdRule.Properties.Actions[0].ForwardConfig.TargetGroups[1].Weight = 10;
    after.Resources.ProdRule.Properties.Actions[0].ForwardConfig.TargetGroups[0].Weight = 90;
    const rule = byId(UpdateSafety.compare(deployed, after).breaking, 'ProdRule')!;
    expect(rule).toMatchObject({ change: UpdateChange.UPDATE, reasons: ['Actions'] });
    expect(rule.impact).toMatch(/writes the template's weights \(90\/10\) back/);
  });

  test('a test listener rule named in AdvancedConfiguration: an update of it is breaking too, for test traffic', () => {
    const report = UpdateSafety.compare(trafficShift({ testRule: true }), trafficShift({ testRule: true, paths: ['/v2/*'] }));
    expect(verdicts(report)).toEqual(['ProdRule UPDATE breaking', 'TestRule UPDATE breaking']);
    expect(byId(report.findings, 'TestRule')!.impact).toMatch(/^test listener rule of service ApiService: CloudFormation writes the template's weights \(100\/0\) back .*test traffic of the next deployment/);
  });

  test('the rule named through Fn::GetAtt (not Ref) is found as well', () => {
    const viaGetAtt = (opts: TrafficShiftOptions = {}) => {
      const t = trafficShift(opts);
      t.Resources.ApiService.Properties.LoadBalancers[0].AdvancedConfiguration.ProductionListenerRule = { 'Fn::GetAtt': ['ProdRule', 'RuleArn'] };
      return t;
    };
    expect(verdicts(UpdateSafety.compare(viaGetAtt(), viaGetAtt({ paths: ['/x'] })))).toEqual(['ProdRule UPDATE breaking']);
  });

  test('a valid neighbour: the same rule change on a rolling service (no AdvancedConfiguration) is an ordinary in-place update, not reported', () => {
    const rolling = (paths?: string[]) => trafficShift({ deployment: 'rollingKeepingResources', paths });
    expect(UpdateSafety.compare(rolling(), rolling(['/api/*'])).findings).toEqual([]);
    // and a target group change in place (health check path) of a canary service replaces nothing
    const after = trafficShift();
    after.Resources.Green.Properties.HealthCheckPath = '/health';
    expect(UpdateSafety.compare(deployed, after).findings).toEqual([]);
  });
});

describe('acknowledged', () => {
  test('--allow (the allow option) turns each breaking traffic-shift finding into an acknowledged one', () => {
    const report = UpdateSafety.compare(deployed, trafficShift({ containerPort: 8080 }), { allow: ['ProdRule', 'Blue', 'Green'] });
    expect(report.passed).toBe(true);
    expect(byId(report.findings, 'ProdRule')).toMatchObject({ change: UpdateChange.UPDATE, breaksClients: true, acknowledged: true, acknowledgement: '--allow ProdRule' });
  });

  test('metadata with a reason on the rule acknowledges its update', () => {
    const reason = 'ECS has not deployed since the rule was created: the live weights are still 100/0';
    const report = UpdateSafety.compare(deployed, trafficShift({ paths: ['/api/*'], ruleMetadata: { 'portcullis:update-safety': { allowReplacement: true, reason } } }));
    expect(report.passed).toBe(true);
    expect(byId(report.findings, 'ProdRule')).toMatchObject({ acknowledged: true, acknowledgement: `metadata: ${reason}` });
  });
});

describe('the production rule as Custom::PortcullisProductionListenerRule (keeps the live weights)', () => {
  const custom = (opts: TrafficShiftOptions = {}) => trafficShift({ ...opts, customRule: true });

  test.each<[string, TrafficShiftOptions]>([
    ['adding HTTPS (ListenerArn changes)', { listener: 'Https' }],
    ['changing the rule\'s paths', { paths: ['/api/*'] }],
  ])('%s: a note, "the production rule\'s custom resource keeps the weights ECS set"', (_name, opts) => {
    const report = UpdateSafety.compare(custom(), custom(opts));
    expect(report.passed).toBe(true);
    const rule = byId(report.findings, 'ProdRule')!;
    expect(rule).toMatchObject({ resourceType: 'Custom::PortcullisProductionListenerRule', change: UpdateChange.UPDATE, breaksClients: false });
    expect(rule.impact).toMatch(/^the production rule's custom resource keeps the weights ECS set/);
  });

  test('changing containerPort: its TargetGroupArns move to recreated (empty) groups: breaking', () => {
    const report = UpdateSafety.compare(custom(), custom({ containerPort: 8080 }));
    expect(verdicts(report)).toEqual(['Blue REPLACE breaking', 'Green REPLACE breaking', 'ProdRule UPDATE breaking', 'TaskDef REPLACE note']);
    expect(byId(report.findings, 'ProdRule')!.impact).toMatch(/TargetGroupArns move to Blue, Green, which are new or recreated/);
  });

  test('TargetGroupArns naming a new group: breaking; the service still replaced by Spot: breaking', () => {
    const after = custom();
    after.Resources.Green2 = after.Resources.Green;
    after.Resources.ProdRule.Properties.TargetGroupArns = [{ Ref: 'Blue' }, { Ref: 'Green2' }];
    expect(byId(UpdateSafety.compare(custom(), after).breaking, 'ProdRule')!.impact).toMatch(/move to Green2, which is new or recreated/);
    expect(verdicts(UpdateSafety.compare(custom(), custom({ capacity: 'spot' })))).toEqual(['ApiService REPLACE breaking']);
  });

  test('the upgrade: the old ListenerRule removed while the custom resource takes its place is a note (it adopts the live weights on create)', () => {
    const after = trafficShift({ customRule: true, ruleId: 'ProdRuleOwner' });
    const report = UpdateSafety.compare(deployed, after);
    expect(verdicts(report)).toEqual(['ProdRule REMOVE note']);
    expect(byId(report.findings, 'ProdRule')!.impact).toBe('production listener rule of service ApiService moves to ProdRuleOwner (Custom::PortcullisProductionListenerRule), which adopts the live weights on create: the rule\'s weights stay ECS\'s');
    expect(report.passed).toBe(true);
    // a custom resource on the same listener and priority counts too, even if the service does not name it yet
    const unnamed = trafficShift({ customRule: true, ruleId: 'ProdRuleOwner' });
    unnamed.Resources.ApiService.Properties.LoadBalancers[0].AdvancedConfiguration.ProductionListenerRule = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener-rule/app/x/y/z/w';
    expect(verdicts(UpdateSafety.compare(deployed, unnamed))).toEqual(['ProdRule REMOVE note']);
    // without a successor the removal stays breaking
    const none = trafficShift({ customRule: true, ruleId: 'ProdRuleOwner' });
    none.Resources.ProdRuleOwner.Properties.Priority = 10;
    none.Resources.ApiService.Properties.LoadBalancers[0].AdvancedConfiguration.ProductionListenerRule = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener-rule/app/x/y/z/w';
    expect(verdicts(UpdateSafety.compare(deployed, none))).toEqual(['ProdRule REMOVE breaking']);
  });
});

describe('from the live state ECS leaves (0/100): UpdateSafety.swapProductionWeights', () => {
  const swapped = UpdateSafety.swapProductionWeights(deployed);

  test('rewrites the production rule to 0 (TargetGroupArn) / 100 (AlternateTargetGroupArn), marks it, and leaves the input alone', () => {
    expect(swapped.Resources.ProdRule.Properties.Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: { Ref: 'Blue' }, Weight: 0 }, { TargetGroupArn: { Ref: 'Green' }, Weight: 100 },
    ]);
    expect(swapped.Resources.ProdRule.Metadata['portcullis:live-weights']).toMatch(/0 to Blue, 100 to Green/);
    expect(deployed.Resources.ProdRule.Properties.Actions[0].ForwardConfig.TargetGroups[0].Weight).toBe(100);
    expect(deployed.Resources.ProdRule.Metadata).toBeUndefined();
  });

  test('nothing changed: the swapped weights alone are not a write (no findings)', () => {
    expect(UpdateSafety.compare(swapped, trafficShift()).findings).toEqual([]);
  });

  test.each(changes)('%s: the same verdicts as from the deployed template', (_name, opts, expected) => {
    expect(verdicts(UpdateSafety.compare(swapped, trafficShift(opts)))).toEqual(expected);
  });

  test.each<[string, any, any]>([
    ['custom resource, paths', trafficShift({ customRule: true }), trafficShift({ customRule: true, paths: ['/x'] })],
    ['custom resource, containerPort', trafficShift({ customRule: true }), trafficShift({ customRule: true, containerPort: 9000 })],
    ['upgrade to the custom resource', deployed, trafficShift({ customRule: true, ruleId: 'ProdRuleOwner' })],
    ['test rule', trafficShift({ testRule: true }), trafficShift({ testRule: true, paths: ['/v2/*'] })],
  ])('%s: the same verdicts from the swapped state', (_name, before, after) => {
    const live = before.Resources.ProdRule.Type === 'Custom::PortcullisProductionListenerRule' ? before : UpdateSafety.swapProductionWeights(before);
    expect(verdicts(UpdateSafety.compare(live, after))).toEqual(verdicts(UpdateSafety.compare(before, after)));
  });

  test('a production rule without a weighted forward to both groups cannot be swapped: the error names it', () => {
    const t = trafficShift();
    t.Resources.ProdRule.Properties.Actions = [{ Type: 'forward', TargetGroupArn: { Ref: 'Blue' } }];
    expect(() => UpdateSafety.swapProductionWeights(t)).toThrow(/production listener rule ProdRule of service ApiService has no weighted forward \(Actions\[\]\.ForwardConfig\.TargetGroups\) to both Blue and Green: cannot swap its weights/);
    expect(() => UpdateSafety.swapProductionWeights(template({}))).toThrow(/has no ECS service whose LoadBalancers\[\]\.AdvancedConfiguration\.ProductionListenerRule names a listener rule/);
    expect(() => UpdateSafety.swapProductionWeights('{}')).toThrow(/^UpdateSafety.swapProductionWeights: `template` is not a CloudFormation template/);
  });
});

describe('portcullis-audit diff on traffic-shifting stacks', () => {
  const cli = runCli;

  test('exit 1 on a write of the production rule, naming it; 0 when acknowledged; 0 for the custom resource; 2 on bad input', () => {
    const before = handAssembly({ Api: deployed });
    const breaking = cli(['diff', before, handAssembly({ Api: trafficShift({ listener: 'Https' }) })]);
    expect(breaking.stderr).toBe('');
    expect(breaking.status).toBe(1);
    expect(breaking.stdout).toMatch(/Api\s+ProdRule\s+AWS::ElasticLoadBalancingV2::ListenerRule\s+REPLACE\s+ListenerArn\s+production listener rule of service ApiService: .*BREAKING/);
    const update = cli(['diff', before, handAssembly({ Api: trafficShift({ paths: ['/v2/*'] }) })]);
    expect(update.status).toBe(1);
    expect(update.stdout).toMatch(/ProdRule\s+AWS::ElasticLoadBalancingV2::ListenerRule\s+UPDATE\s+Conditions\s+.*BREAKING/);
    expect(cli(['diff', before, handAssembly({ Api: trafficShift({ listener: 'Https' }) }), '--allow=Api/ProdRule']).status).toBe(0);
    const custom = cli(['diff', handAssembly({ Api: trafficShift({ customRule: true }) }), handAssembly({ Api: trafficShift({ customRule: true, listener: 'Https' }) })]);
    expect(custom.status).toBe(0);
    expect(custom.stdout).toMatch(/ProdRule\s+Custom::PortcullisProductionListenerRule\s+UPDATE\s+ListenerArn\s+the production rule's custom resource keeps the weights ECS set.*note/);
    const bad = handAssembly({ Api: deployed });
    const broken = cli(['diff', bad, handAssembly({ Api: { Resources: { ProdRule: { Properties: {} } } } })]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/Api\.template\.json: resource ProdRule needs a Type/);
  });
});
