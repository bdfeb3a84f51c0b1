// AWS Auto Scaling import: real CloudFormation templates and the AWS CLI docs' describe output, decisions from what they import, refusals with codes and paths.
//
// Fixtures (test/formats/fixtures/aws/README.md): aws-cloudformation/aws-cloudformation-templates
// (AutoScaling/AutoScalingScheduledAction.yaml, AutoScaling/AutoScalingMultiAZWithNotifications.{yaml,json},
// ECS/ECS_Schedule_Example.yaml), aws-samples/ecs-refarch-cloudformation (services/website-service/service.yaml)
// and aws/aws-cli awscli/examples/autoscaling/describe-policies.rst and
// describe-scheduled-actions.rst.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { runRequest, type CliIo } from '../../src/cli/commands.js';
import { detectFormat } from '../../src/cli/importers.js';
import { importAwsAutoscaling } from '../../src/formats/aws/import.js';
import { weeklyCron } from '../../src/formats/aws/schedule.js';
import { importWrapped } from '../../src/formats/foreign.js';
import { bundledRuleSets } from '../../src/rulesets/bundled.js';
import { BILLION_LAUGHS } from './hostile-inputs.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import type { DecisionState } from '../../src/schema.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/aws/${name}`, import.meta.url), 'utf8');
const ok = (r: ImportResult) => {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
};
const issues = (r: ImportResult) => (r.ok ? [] : r.issues.map((i) => ({ reason: i.reason, path: i.path })));
const at = (iso: string) => Date.parse(iso);
const series = (values: number[], end: number, stepMs: number) => values.map((v, i) => ({ t: end - (values.length - 1 - i) * stepMs, v }));

describe('CloudFormation: AutoScalingScheduledAction.yaml (two daily actions, UTC)', () => {
  const r = ok(importAwsAutoscaling(fixture('AutoScalingScheduledAction.yaml')));

  it('takes the group bounds and makes each action an open-ended daily recurrence', () => {
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 5, default: 2 });
    expect(r.ruleSet.profiles?.map((p) => [p.name, p.capacity.minimum, p.capacity.maximum, p.recurrence?.start, p.recurrence?.days.length, p.recurrence?.end])).toEqual([
      ['ScheduledActionUp', 5, 10, '07:00', 7, undefined],
      ['ScheduledActionDown', 1, 1, '19:00', 7, undefined],
    ]);
    expect(r.unsupported).toEqual([]);
  });

  it("decides inside each action's span: 5–10 from 07:00, 1 from 19:00, persisting until the other runs", async () => {
    const morning = await decide(r.compiled, { id: 'g', capacity: 2, metrics: {} }, at('2026-07-06T07:00:00Z'));
    expect([morning.profile?.name, morning.to]).toEqual(['ScheduledActionUp', 5]);
    const night = await decide(r.compiled, { id: 'g', capacity: 5, metrics: {} }, at('2026-07-07T03:00:00Z'));
    expect([night.profile?.name, night.to]).toEqual(['ScheduledActionDown', 1]);
    const before = await decide(r.compiled, { id: 'g', capacity: 1, metrics: {} }, at('2026-07-07T06:59:59Z'));
    expect(before.profile?.name).toBe('ScheduledActionDown');
  });
});

describe('CloudFormation: AutoScalingMultiAZWithNotifications (simple scaling with alarms, JSON and YAML)', () => {
  const yaml = ok(importAwsAutoscaling(fixture('AutoScalingMultiAZWithNotifications.yaml')));
  const json = ok(importAwsAutoscaling(fixture('AutoScalingMultiAZWithNotifications.json')));

  it('reads the same rule set from the JSON and the YAML template', () => {
    expect(json.ruleSet).toEqual(yaml.ruleSet);
  });

  it('each policy carries its alarm and its own Cooldown, the group the default 300 s', () => {
    expect(yaml.ruleSet.simpleScaling).toEqual({
      defaultCooldown: 300,
      policies: [
        {
          id: 'webserverscaleuppolicy',
          policy: {
            metric: 'CPUUtilization',
            statistic: 'Average',
            threshold: 90,
            comparison: 'GreaterThanThreshold',
            periodSeconds: 300,
            evaluationPeriods: 2,
            adjustmentType: 'ChangeInCapacity',
            scalingAdjustment: 1,
            cooldown: 60,
          },
        },
        {
          id: 'webserverscaledownpolicy',
          policy: {
            metric: 'CPUUtilization',
            statistic: 'Average',
            threshold: 70,
            comparison: 'LessThanThreshold',
            periodSeconds: 300,
            evaluationPeriods: 2,
            adjustmentType: 'ChangeInCapacity',
            scalingAdjustment: -1,
            cooldown: 60,
          },
        },
      ],
    });
    expect(yaml.ruleSet.capacity).toEqual({ minimum: 1, maximum: 3, default: 1 });
  });

  it("scales out only after two breaching 5-minute periods, then waits the policy's 60 s cooldown", async () => {
    const t0 = at('2026-07-06T12:00:00Z');
    const one = await decide(yaml.compiled, { id: 'g', capacity: 1, metrics: { CPUUtilization: series([50, 95], t0, 300_000) } }, t0);
    expect(one.to).toBe(1);
    const out = await decide(yaml.compiled, { id: 'g', capacity: 1, metrics: { CPUUtilization: series([95, 95], t0, 300_000) } }, t0);
    expect([out.to, out.trace.policies?.decidedBy]).toEqual([2, 'simpleScaling:webserverscaleuppolicy']);
    const state = out.state as DecisionState;
    const held = await decide(yaml.compiled, { id: 'g', capacity: 2, metrics: { CPUUtilization: series([95, 95], t0 + 30_000, 300_000) }, state }, t0 + 30_000);
    expect(held.to).toBe(2);
    const up = (held.trace.policies?.simpleScaling ?? [])[0]!.result;
    expect([up.code, up.cooldown?.until]).toEqual(['CooldownActive', '2026-07-06T12:01:00Z']);
    const again = await decide(yaml.compiled, { id: 'g', capacity: 2, metrics: { CPUUtilization: series([95, 95], t0 + 60_000, 300_000) }, state }, t0 + 60_000);
    expect(again.to).toBe(3);
  });
});

describe('CloudFormation: ECS_Schedule_Example.yaml (an EC2 group and an ECS scalable target)', () => {
  const text = fixture('ECS_Schedule_Example.yaml');

  it('refuses to guess between the two groups and names them', () => {
    const r = importAwsAutoscaling(text);
    expect(issues(r)).toEqual([{ reason: 'AwsChooseName', path: '' }]);
    expect(r.ok ? '' : r.issues[0]!.message).toContain('"ECSAutoScalingGroup", "ServiceScalingTarget"');
  });

  it('the EC2 group resolves Ref of parameters with defaults (MaxSize, DesiredCapacity)', () => {
    expect(ok(importAwsAutoscaling(text, { name: 'ECSAutoScalingGroup' })).ruleSet.capacity).toEqual({ minimum: 1, maximum: 1, default: 1 });
  });

  it('the scalable target gets its Application Auto Scaling step policy; its Cooldown is reported, not dropped', async () => {
    const r = ok(importAwsAutoscaling(text, { name: 'ServiceScalingTarget' }));
    expect(r.ruleSet.stepScaling?.[0]).toMatchObject({
      window: 'PT60S',
      policy: { metric: 'HTTPCode_ELB_5XX_Count', threshold: 10, comparison: 'GreaterThanThreshold', adjustmentType: 'PercentChangeInCapacity' },
    });
    expect(r.unsupported.map((u) => [u.reason, u.path])).toEqual([['AwsWarmupNotModelled', 'Resources.ServiceScalingPolicy.Properties.StepScalingPolicyConfiguration.Cooldown']]);
    // +200 % of 1 is 3, clamped to the target's MaxCapacity 2.
    const d = await decide(r.compiled, { id: 's', capacity: 1, metrics: { HTTPCode_ELB_5XX_Count: 15 } }, at('2026-07-06T12:00:00Z'));
    expect(d.to).toBe(2);
  });
});

describe('CloudFormation: aws-samples ecs-refarch website-service (Application Auto Scaling step policies)', () => {
  const r = ok(importAwsAutoscaling(fixture('ecs-refarch-website-service.yaml')));

  it('reads MinCapacity/MaxCapacity from parameter defaults and one step rule per alarm', () => {
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 3, default: 2 });
    expect(
      r.ruleSet.stepScaling?.map((s) => [s.id, s.window, s.evaluationPeriods, s.datapointsToAlarm, s.policy.statistic, s.policy.comparison, s.policy.threshold, s.policy.stepAdjustments]),
    ).toEqual([
      ['servicescaleoutpolicy', 'PT60S', 3, undefined, 'Maximum', 'GreaterThanThreshold', 90, [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]],
      ['servicescaleinpolicy', 'PT60S', 10, undefined, 'Maximum', 'LessThanThreshold', 70, [{ metricIntervalUpperBound: 0, scalingAdjustment: -1 }]],
    ]);
    expect(r.unsupported.map((u) => [u.reason, u.path])).toEqual([
      ['AwsWarmupNotModelled', 'Resources.ServiceScaleOutPolicy.Properties.StepScalingPolicyConfiguration.Cooldown'],
      ['AwsWarmupNotModelled', 'Resources.ServiceScaleInPolicy.Properties.StepScalingPolicyConfiguration.Cooldown'],
    ]);
  });

  // CloudWatch "Alarm evaluation": each 60 s period is a data point (its Maximum) and 3 of the last 3
  // must breach (DatapointsToAlarm defaults to EvaluationPeriods), not the maximum of one 3-minute window.
  const t0 = at('2026-07-06T12:00:00Z');
  const cpu = (capacity: number, values: number[]) => decide(r.compiled, { id: 's', capacity, metrics: { CPUUtilization: series(values, t0, 60_000) } }, t0);

  it('scales out only when each of the last three minutes has a maximum above 90', async () => {
    const early = await cpu(2, [20, 20, 95]);
    expect([early.to, early.trace.policies?.stepScaling?.[0]?.result.code, early.trace.policies?.stepScaling?.[0]?.result.breachingPeriods]).toEqual([2, 'AlarmNotBreached', 1]);
    expect(early.trace.policies?.stepScaling?.[0]?.result.periods?.map((p) => [p.value, p.breaching])).toEqual([
      [95, true],
      [20, false],
      [20, false],
    ]);
    const spike = await cpu(2, [50, 95, 60]);
    expect(spike.to).toBe(2);
    const held = await cpu(2, [95, 95, 95]);
    expect([held.to, held.trace.policies?.stepScaling?.[0]?.result.code, held.trace.policies?.stepScaling?.[0]?.result.breachingPeriods]).toEqual([3, 'ScaleOut', 3]);
  });

  it('scales in only when each of the last ten minutes has a maximum below 70', async () => {
    const nine = await cpu(3, [75, 40, 40, 40, 40, 40, 40, 40, 40, 40]);
    expect([nine.to, nine.trace.policies?.stepScaling?.[1]?.result.breachingPeriods]).toEqual([3, 9]);
    const ten = await cpu(3, [60, 40, 40, 40, 40, 40, 40, 40, 40, 40]);
    expect([ten.to, ten.trace.policies?.stepScaling?.[1]?.result.code]).toEqual([2, 'ScaleIn']);
    // A period without data does not breach (docs/aws-policies.md): four minutes of data are not ten.
    const short = await cpu(3, [60, 40, 40, 40]);
    expect([short.to, short.trace.policies?.stepScaling?.[1]?.result.breachingPeriods]).toEqual([3, 4]);
  });

  it('DatapointsToAlarm 2 of EvaluationPeriods 3: any two breaching minutes of the last three scale out', async () => {
    const text = fixture('ecs-refarch-website-service.yaml').replace('EvaluationPeriods: "3"', 'EvaluationPeriods: "3"\n      DatapointsToAlarm: "2"');
    const m = ok(importAwsAutoscaling(text));
    expect([m.ruleSet.stepScaling?.[0]?.evaluationPeriods, m.ruleSet.stepScaling?.[0]?.datapointsToAlarm]).toEqual([3, 2]);
    const run = async (values: number[]) => {
      const d = await decide(m.compiled, { id: 's', capacity: 2, metrics: { CPUUtilization: series(values, t0, 60_000) } }, t0);
      return [d.to, d.trace.policies?.stepScaling?.[0]?.result.breachingPeriods];
    };
    expect(await run([95, 20, 95])).toEqual([3, 2]);
    expect(await run([95, 95, 20])).toEqual([3, 2]);
    expect(await run([20, 20, 95])).toEqual([2, 1]);
  });

  it('a DatapointsToAlarm above EvaluationPeriods is refused as CloudWatch refuses it, naming the policy', () => {
    const text = fixture('ecs-refarch-website-service.yaml').replace('EvaluationPeriods: "3"', 'EvaluationPeriods: "3"\n      DatapointsToAlarm: "5"');
    const r = importAwsAutoscaling(text);
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([['ImportError', 'Resources.ServiceScaleOutPolicy.Properties']]);
    expect(r.ok ? '' : r.issues[0]!.message).toContain('stepScaling[0].datapointsToAlarm: datapointsToAlarm 5 is above evaluationPeriods 3');
  });
});

describe('AWS CLI describe output', () => {
  it("describe-policies (the CLI docs example): two target tracking policies run with AWS's alarms", async () => {
    const r = ok(importAwsAutoscaling(fixture('describe-policies.json')));
    // No group in the input: the warm-up falls back to the default cooldown's 300 s (PutScalingPolicy).
    expect(r.ruleSet.awsTargetTracking?.policies).toEqual([
      { id: 'alb1000-target-tracking-scaling-policy', metric: 'ALBRequestCountPerTarget', targetValue: 1000, warmupSeconds: 300 },
      { id: 'cpu40-target-tracking-scaling-policy', metric: 'ASGAverageCPUUtilization', targetValue: 40, warmupSeconds: 300 },
    ]);
    expect(r.ruleSet.targetTracking).toBeUndefined();
    expect(r.ruleSet.capacity).toEqual({ minimum: 0, maximum: 100000, default: 0 });
    const now = at('2026-07-06T12:00:00Z');
    const minutes = (v: number, n: number) => Array.from({ length: n }, (_, i) => ({ t: now - i * 60_000, v }));
    // AlarmHigh after 3 minutes above 40: ceil(4 × 75 / 40) = 8; the ALB policy at its target holds 4; the largest wins.
    const d = await decide(r.compiled, { id: 'g', capacity: 4, metrics: { ASGAverageCPUUtilization: minutes(75, 3), ALBRequestCountPerTarget: minutes(1000, 3) } }, now);
    expect(d.to).toBe(8);
    // One minute above the target is no alarm yet.
    const early = await decide(r.compiled, { id: 'g', capacity: 4, metrics: { ASGAverageCPUUtilization: 75, ALBRequestCountPerTarget: 1000 } }, now);
    expect([early.to, early.trace.policies?.awsTargetTracking?.map((t) => t.code)]).toEqual([4, ['NoAlarm', 'NoAlarm']]);
  });

  it('describe-policies with describe-alarms: a step policy takes its alarm\'s Period, EvaluationPeriods and DatapointsToAlarm', async () => {
    const arn = 'arn:aws:autoscaling:us-west-2:123456789012:scalingPolicy:y:autoScalingGroupName/my-asg:policyName/my-step-scale-out-policy';
    const merged = {
      AutoScalingGroups: [{ AutoScalingGroupName: 'my-asg', MinSize: 1, MaxSize: 10, DesiredCapacity: 2 }],
      ScalingPolicies: [
        {
          AutoScalingGroupName: 'my-asg',
          PolicyName: 'my-step-scale-out-policy',
          PolicyARN: arn,
          PolicyType: 'StepScaling',
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
          Alarms: [{ AlarmName: 'cpu-high' }],
          Enabled: true,
        },
      ],
      MetricAlarms: [
        {
          AlarmName: 'cpu-high',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 300,
          EvaluationPeriods: 4,
          DatapointsToAlarm: 3,
          Threshold: 70,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [arn],
        },
      ],
    };
    const r = ok(importAwsAutoscaling(merged));
    const rule = r.ruleSet.stepScaling?.[0];
    expect([rule?.window, rule?.evaluationPeriods, rule?.datapointsToAlarm, rule?.policy.statistic, rule?.policy.threshold]).toEqual(['PT300S', 4, 3, 'Average', 70]);
    const now = at('2026-07-06T12:00:00Z');
    const fiveMinutes = (values: number[]) => values.map((v, i) => ({ t: now - (values.length - 1 - i) * 300_000, v }));
    // 3 of the last 4 five-minute periods above 70 (oldest first: 80, 50, 80, 80) → +2; two of them are not enough.
    expect((await decide(r.compiled, { id: 'g', capacity: 2, metrics: { CPUUtilization: fiveMinutes([80, 50, 80, 80]) } }, now)).to).toBe(4);
    expect((await decide(r.compiled, { id: 'g', capacity: 2, metrics: { CPUUtilization: fiveMinutes([50, 50, 80, 80]) } }, now)).to).toBe(2);
  });

  it("describe-policies merged with describe-auto-scaling-groups and describe-alarms: a simple policy with its alarm and the group's DefaultCooldown", () => {
    const arn = 'arn:aws:autoscaling:us-west-2:123456789012:scalingPolicy:x:autoScalingGroupName/my-asg:policyName/my-simple-scale-out-policy';
    const merged = {
      AutoScalingGroups: [{ AutoScalingGroupName: 'my-asg', MinSize: 1, MaxSize: 10, DesiredCapacity: 2, DefaultCooldown: 120 }],
      ScalingPolicies: [
        {
          AutoScalingGroupName: 'my-asg',
          PolicyName: 'my-simple-scale-out-policy',
          PolicyARN: arn,
          PolicyType: 'SimpleScaling',
          AdjustmentType: 'PercentChangeInCapacity',
          ScalingAdjustment: 30,
          MinAdjustmentMagnitude: 2,
          Alarms: [{ AlarmName: 'cpu-high' }],
          Enabled: true,
        },
        {
          AutoScalingGroupName: 'my-asg',
          PolicyName: 'forecast',
          PolicyType: 'PredictiveScaling',
          PredictiveScalingConfiguration: { MetricSpecifications: [{ TargetValue: 50, CustomizedLoadMetricSpecification: { MetricDataQueries: [] } }] },
          Enabled: true,
        },
        {
          AutoScalingGroupName: 'my-asg',
          PolicyName: 'no-alarm',
          PolicyType: 'StepScaling',
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
          Alarms: [{ AlarmName: 'elsewhere' }],
          Enabled: true,
        },
      ],
      MetricAlarms: [
        {
          AlarmName: 'cpu-high',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 2,
          DatapointsToAlarm: 2,
          Threshold: 70,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [arn],
          TreatMissingData: 'breaching',
        },
      ],
    };
    const r = ok(importAwsAutoscaling(merged));
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 2 });
    expect(r.ruleSet.simpleScaling).toEqual({
      defaultCooldown: 120,
      policies: [
        {
          id: 'my-simple-scale-out-policy',
          policy: {
            metric: 'CPUUtilization',
            statistic: 'Average',
            threshold: 70,
            comparison: 'GreaterThanOrEqualToThreshold',
            periodSeconds: 60,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            adjustmentType: 'PercentChangeInCapacity',
            scalingAdjustment: 30,
            minAdjustmentMagnitude: 2,
          },
        },
      ],
    });
    expect(r.unsupported.map((u) => [u.reason, u.path])).toEqual([
      ['AwsAlarmNotSupported', 'MetricAlarms[0].TreatMissingData'],
      ['AwsCustomizedMetricNotSupported', 'ScalingPolicies[1].PredictiveScalingConfiguration.MetricSpecifications[0].CustomizedLoadMetricSpecification'],
      ['AwsAlarmNotIncluded', 'ScalingPolicies[2]'],
    ]);
  });

  it('describe-scheduled-actions (the CLI docs example): a lone yearly action is in force from its run on, until another action runs', async () => {
    const r = ok(importAwsAutoscaling(fixture('describe-scheduled-actions.json')));
    expect(r.ruleSet.profiles).toEqual([
      { name: 'sample-scheduled-action', capacity: { minimum: 2, maximum: 6, default: 4 }, startCapacity: 4, cron: { timeZone: 'UTC', start: '30 0 1 12 0' } },
    ]);
    // Unix cron: with both day-of-month (1) and day-of-week (0) restricted, either matches, so it runs
    // on 1 December and on every Sunday of December at 00:30 UTC. 2026-12-06 is a Sunday.
    const decideAt = (iso: string) => decide(r.compiled, { id: 'g', capacity: 3, metrics: {} }, at(iso));
    const windowOf = async (iso: string) => {
      const d = await decideAt(iso);
      return [d.profile?.name, d.profile?.code, d.to, d.trace.profile.profiles[0]?.window];
    };
    // Its last run before June 2026 was the last Sunday of December 2025.
    expect(await windowOf('2026-06-01T00:00:00Z')).toEqual(['sample-scheduled-action', 'CronActive', 3, { start: '2025-12-28T00:30:00Z' }]);
    expect(await windowOf('2026-12-06T00:30:00Z')).toEqual(['sample-scheduled-action', 'CronActive', 3, { start: '2026-12-06T00:30:00Z' }]);
  });
});

describe('scheduled actions in a time zone, one-time actions, and what cannot be kept', () => {
  const action = (name: string, extra: Record<string, unknown>) => ({ AutoScalingGroupName: 'web', ScheduledActionName: name, ...extra });
  const group = { AutoScalingGroups: [{ AutoScalingGroupName: 'web', MinSize: 1, MaxSize: 4 }] };
  const ny = {
    ...group,
    ScheduledUpdateGroupActions: [
      action('open', { Recurrence: '0 9 * * MON-FRI', TimeZone: 'America/New_York', MinSize: 4, MaxSize: 10, DesiredCapacity: 6, StartTime: '2026-07-06T13:00:00Z' }),
      action('close', { Recurrence: '0 18 * * 1-5', TimeZone: 'America/New_York', MinSize: 1, MaxSize: 4 }),
      action('holiday', { StartTime: '2026-07-04T04:00:00Z', MinSize: 0, MaxSize: 0 }),
    ],
  };
  const r = ok(importAwsAutoscaling(ny));

  it("weekly crons become recurrences in the action's zone; a one-time action lasts until the next action runs", () => {
    expect(r.ruleSet.profiles).toEqual([
      {
        name: 'open',
        capacity: { minimum: 4, maximum: 10, default: 6 },
        startCapacity: 6,
        recurrence: { timeZone: 'America/New_York', days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], start: '09:00' },
      },
      {
        name: 'close',
        capacity: { minimum: 1, maximum: 4, default: 1 },
        recurrence: { timeZone: 'America/New_York', days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], start: '18:00' },
      },
      // Saturday 2026-07-04 00:00 EDT; the next run of any action is "open" on Monday 09:00 EDT = 13:00Z.
      { name: 'holiday', capacity: { minimum: 0, maximum: 0, default: 0 }, fixedDate: { timeZone: 'UTC', start: '2026-07-04T04:00:00Z', end: '2026-07-06T13:00:00Z' } },
    ]);
  });

  it("a one-time action on a weekday ends at that day's recurring run", () => {
    const friday = ok(
      importAwsAutoscaling({
        ...ny,
        ScheduledUpdateGroupActions: [...ny.ScheduledUpdateGroupActions.slice(0, 2), action('early', { StartTime: '2026-07-03T04:00:00Z', MinSize: 0, MaxSize: 0 })],
      }),
    );
    expect(friday.ruleSet.profiles?.[2]?.fixedDate).toEqual({ timeZone: 'UTC', start: '2026-07-03T04:00:00Z', end: '2026-07-03T13:00:00Z' });
  });

  it('decides in New York time, daylight saving included', async () => {
    const pick = async (iso: string) => (await decide(r.compiled, { id: 'web', capacity: 2, metrics: {} }, at(iso))).profile?.name;
    expect(await pick('2026-07-07T12:59:00Z')).toBe('close'); // 08:59 EDT
    expect(await pick('2026-07-07T13:00:00Z')).toBe('open'); // 09:00 EDT
    expect(await pick('2026-12-08T13:30:00Z')).toBe('close'); // 08:30 EST
    expect(await pick('2026-12-08T14:00:00Z')).toBe('open'); // 09:00 EST
    expect(await pick('2026-07-04T15:00:00Z')).toBe('holiday');
    expect(await pick('2026-07-06T13:00:00Z')).toBe('open');
  });

  it('reads the weekly crons AWS writes (names, ranges, 7 = Sunday) and refuses the rest', () => {
    expect(weeklyCron('30 8,17 * * SUN,6-7')).toEqual({ days: ['Sunday', 'Saturday'], times: ['08:30', '17:30'] });
    expect(weeklyCron('0 */2 * * *')).toBeUndefined();
    expect(weeklyCron('0 9 1 * *')).toBeUndefined();
  });

  it('two non-weekly actions become open-ended crons, each ended by the other', () => {
    const two = ok(
      importAwsAutoscaling({
        ...group,
        ScheduledUpdateGroupActions: [
          action('month-start', { Recurrence: '0 0 1 * *', MinSize: 3, MaxSize: 6 }),
          action('month-mid', { Recurrence: '0 0 15 * *', MinSize: 1, MaxSize: 4 }),
        ],
      }),
    );
    expect(two.ruleSet.profiles?.map((p) => p.cron)).toEqual([
      { timeZone: 'UTC', start: '0 0 1 * *' },
      { timeZone: 'UTC', start: '0 0 15 * *' },
    ]);
  });

  it('three monthly actions and a weekly one: each sets the group from its run until the next run of any action', async () => {
    const four = ok(
      importAwsAutoscaling({
        ...group,
        ScheduledUpdateGroupActions: [
          action('m1', { Recurrence: '0 0 1 * *', MinSize: 1, MaxSize: 4, DesiredCapacity: 1 }),
          action('m10', { Recurrence: '0 0 10 * *', MinSize: 2, MaxSize: 4, DesiredCapacity: 2 }),
          action('m20', { Recurrence: '0 0 20 * *', MinSize: 3, MaxSize: 4, DesiredCapacity: 3 }),
          action('saturday', { Recurrence: '0 12 * * SAT', MinSize: 4, MaxSize: 4 }),
        ],
      }),
    );
    expect(four.unsupported).toEqual([]);
    // July 2026: the 1st is a Wednesday; Saturdays are the 4th, 11th, 18th and 25th.
    const pick = async (iso: string) => {
      const d = await decide(four.compiled, { id: 'web', capacity: 2, metrics: {} }, at(iso));
      return [d.profile?.name, d.to];
    };
    expect(await pick('2026-07-01T00:00:00Z')).toEqual(['m1', 2]);
    expect(await pick('2026-07-04T11:59:00Z')).toEqual(['m1', 2]);
    expect(await pick('2026-07-04T12:00:00Z')).toEqual(['saturday', 4]);
    expect(await pick('2026-07-09T23:59:00Z')).toEqual(['saturday', 4]);
    expect(await pick('2026-07-10T00:00:00Z')).toEqual(['m10', 2]);
    expect(await pick('2026-07-20T00:00:00Z')).toEqual(['m20', 3]);
    expect(await pick('2026-07-25T11:00:00Z')).toEqual(['m20', 3]);
    expect(await pick('2026-07-31T00:00:00Z')).toEqual(['saturday', 4]);
  });

  it('a lone one-time action sets the group for good: a fixed date to the end of 9999; before it, the group', async () => {
    const once = ok(importAwsAutoscaling({ ...group, ScheduledUpdateGroupActions: [action('once', { StartTime: '2026-07-03T04:00:00Z', MinSize: 2, MaxSize: 3 })] }));
    expect(once.ruleSet.profiles?.[0]?.fixedDate).toEqual({ timeZone: 'UTC', start: '2026-07-03T04:00:00Z', end: '9999-12-31T23:59:59Z' });
    const before = await decide(once.compiled, { id: 'web', capacity: 1, metrics: {} }, at('2026-07-03T03:59:59Z'));
    const after = await decide(once.compiled, { id: 'web', capacity: 1, metrics: {} }, at('2031-01-01T00:00:00Z'));
    expect([before.to, after.profile?.name, after.to]).toEqual([1, 'once', 2]);
  });

  it.each([
    [
      'an EndTime without a Recurrence',
      [action('a', { StartTime: '2026-07-03T04:00:00Z', MinSize: 2, MaxSize: 4, EndTime: '2027-01-01T00:00:00Z' })],
      'AwsScheduleEndTime',
      ['ScheduledUpdateGroupActions[0].EndTime'],
    ],
    [
      'a partial capacity other actions set to different values',
      [
        action('a', { Recurrence: '0 9 * * *', MinSize: 2, MaxSize: 4 }),
        action('b', { Recurrence: '0 18 * * *', MaxSize: 2 }),
        action('c', { Recurrence: '0 0 1 * *', MinSize: 3, MaxSize: 5 }),
      ],
      'AwsSchedulePartialCapacity',
      ['ScheduledUpdateGroupActions[1]'],
    ],
    [
      'a StartTime without an offset',
      [action('once', { StartTime: '2026-07-03T04:00:00', MinSize: 2, MaxSize: 4 })],
      'AwsInvalidValue',
      ['ScheduledUpdateGroupActions[0].StartTime'],
    ],
    [
      'an EndTime that is not an instant',
      [action('a', { Recurrence: '0 9 * * *', MinSize: 2, MaxSize: 4, EndTime: 'next year' })],
      'AwsInvalidValue',
      ['ScheduledUpdateGroupActions[0].EndTime'],
    ],
    [
      'an unknown time zone',
      [action('a', { Recurrence: '0 9 * * *', MinSize: 2, MaxSize: 4, TimeZone: 'Mars/Olympus' })],
      'AwsInvalidValue',
      ['ScheduledUpdateGroupActions[0].TimeZone'],
    ],
  ])('refuses %s with its code and path', (_what, actions, reason, paths) => {
    expect(issues(importAwsAutoscaling({ ...group, ScheduledUpdateGroupActions: actions }))).toEqual(paths.map((path) => ({ reason, path })));
  });

  it('a field the other actions all set to one value is that value', () => {
    const r2 = ok(
      importAwsAutoscaling({
        ...group,
        ScheduledUpdateGroupActions: [action('a', { Recurrence: '0 9 * * *', MinSize: 2, MaxSize: 4 }), action('b', { Recurrence: '0 18 * * *', MaxSize: 2 })],
      }),
    );
    expect(r2.ruleSet.profiles?.map((p) => p.capacity)).toEqual([
      { minimum: 2, maximum: 4, default: 2 },
      { minimum: 2, maximum: 2, default: 2 },
    ]);
    expect(r2.notes).toContain('b leaves MinSize as it is; every action that sets it sets 2, so its profile has MinSize 2.');
  });

  it('EndTime bounds the runs of a recurrence: no run at or after it, and the sizes of its last run persist until another action runs', async () => {
    const r = ok(
      importAwsAutoscaling({
        ...group,
        ScheduledUpdateGroupActions: [
          action('weekdays', { Recurrence: '0 9 * * 1-5', MinSize: 3, MaxSize: 4, EndTime: '2026-07-10T00:00:00Z' }),
          action('monthly', { Recurrence: '0 0 1 * *', MinSize: 1, MaxSize: 2 }),
        ],
      }),
    );
    expect(r.ruleSet.profiles?.[0]?.cron).toEqual({ timeZone: 'UTC', start: '0 9 * * 1-5', until: '2026-07-10T00:00:00Z' });
    const pick = async (iso: string) => (await decide(r.compiled, { id: 'web', capacity: 2, metrics: {} }, at(iso))).profile?.name;
    // Thursday 9 July 09:00 is its last run; Friday 10 July and the weeks after, it no longer runs,
    // so its sizes stay until "monthly" runs on 1 August, and "monthly" then stays.
    expect(await pick('2026-07-09T09:00:00Z')).toBe('weekdays');
    expect(await pick('2026-07-20T12:00:00Z')).toBe('weekdays');
    expect(await pick('2026-08-01T00:00:00Z')).toBe('monthly');
    expect(await pick('2026-08-03T12:00:00Z')).toBe('monthly');
  });

  it("a template's StartTime bounds a recurrence's first run; describe output's StartTime is only its next run", () => {
    const cfn = JSON.stringify({
      Resources: {
        Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: 1, MaxSize: 4 } },
        Up: {
          Type: 'AWS::AutoScaling::ScheduledAction',
          Properties: { AutoScalingGroupName: { Ref: 'Group' }, MinSize: 2, MaxSize: 4, Recurrence: '0 7 * * *', StartTime: '2026-09-01T00:00:00Z' },
        },
      },
    });
    expect(ok(importAwsAutoscaling(cfn)).ruleSet.profiles?.[0]?.cron).toEqual({ timeZone: 'UTC', start: '0 7 * * *', from: '2026-09-01T00:00:00Z' });
    const cli = ok(importAwsAutoscaling({ ...group, ScheduledUpdateGroupActions: [action('up', { Recurrence: '0 7 * * *', MinSize: 2, MaxSize: 4, StartTime: '2026-09-01T07:00:00Z' })] }));
    expect(cli.ruleSet.profiles?.[0]?.recurrence?.start).toBe('07:00');
  });

  it("a field no action sets is the group's", () => {
    const r2 = ok(
      importAwsAutoscaling({
        ...group,
        ScheduledUpdateGroupActions: [action('a', { Recurrence: '0 9 * * *', MaxSize: 8 }), action('b', { Recurrence: '0 18 * * *', MaxSize: 2 })],
      }),
    );
    expect(r2.ruleSet.profiles?.map((p) => p.capacity)).toEqual([
      { minimum: 1, maximum: 8, default: 1 },
      { minimum: 1, maximum: 2, default: 1 },
    ]);
  });
});

describe('CloudFormation references and other refusals', () => {
  const template = (props: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
    JSON.stringify({ Parameters: parameters, Resources: { Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: 1, MaxSize: 4, ...props } } } });

  it.each([
    ['Ref of a parameter without Default', template({ MaxSize: { Ref: 'Max' } }, { Max: { Type: 'Number' } }), 'Resources.Group.Properties.MaxSize.Ref'],
    ['Ref of a pseudo parameter', template({ MaxSize: { Ref: 'AWS::NoValue' } }), 'Resources.Group.Properties.MaxSize.Ref'],
    ['Fn::If', template({ MaxSize: { 'Fn::If': ['Prod', 10, 2] } }), 'Resources.Group.Properties.MaxSize.Fn::If'],
    ['Fn::Sub of a pseudo parameter', template({ MaxSize: { 'Fn::Sub': '${AWS::Region}' } }), 'Resources.Group.Properties.MaxSize.Fn::Sub'],
  ])('refuses %s with its path', (_what, text, path) => {
    expect(issues(importAwsAutoscaling(text))).toEqual([{ reason: 'AwsUnresolvedReference', path }]);
  });

  it('resolves Fn::Sub of parameters with defaults', () => {
    const r = ok(importAwsAutoscaling(template({ MaxSize: { 'Fn::Sub': '${Max}' } }, { Max: { Type: 'Number', Default: '7' } })));
    expect(r.ruleSet.capacity.maximum).toBe(7);
  });

  it("an Application Auto Scaling target tracking policy (ECS service) maps to awsTargetTracking with its cooldowns (ECS's default 300 s where unset)", async () => {
    const text = JSON.stringify({
      Parameters: { CpuTarget: { Type: 'Number', Default: 70 } },
      Resources: {
        Target: {
          Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
          Properties: { MinCapacity: 1, MaxCapacity: 4, ScalableDimension: 'ecs:service:DesiredCount', ServiceNamespace: 'ecs' },
        },
        Cpu: {
          Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
          Properties: {
            PolicyName: { 'Fn::Sub': '${AWS::StackName}-cpu' },
            PolicyType: 'TargetTrackingScaling',
            ScalingTargetId: { Ref: 'Target' },
            TargetTrackingScalingPolicyConfiguration: {
              TargetValue: { Ref: 'CpuTarget' },
              ScaleInCooldown: 300,
              PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
            },
          },
        },
      },
    });
    const r = ok(importAwsAutoscaling(text));
    expect(r.ruleSet.awsTargetTracking?.policies).toEqual([
      { id: 'cpu', metric: 'ECSServiceAverageCPUUtilization', targetValue: 70, scaleOutCooldown: 300, scaleInCooldown: 300 },
    ]);
    expect(r.unsupported).toEqual([]);
    expect(r.notes).toContainEqual(expect.stringMatching(/ScaleOutCooldown is not set; AWS's default for ServiceNamespace ecs is 300 s\.$/));
    // ceil(2 × 90 / 70) = 3 after three minutes at 90 %.
    const now = at('2026-07-06T12:00:00Z');
    const cpu = [2, 1, 0].map((k) => ({ t: now - k * 60_000, v: 90 }));
    const d = await decide(r.compiled, { id: 'svc', capacity: 2, metrics: { ECSServiceAverageCPUUtilization: cpu } }, now);
    expect(d.to).toBe(3);
    // A minute later, still at 90 % on 3 tasks: within the scale-out cooldown the formula counts from 2 again (3 covers it).
    const later = [2, 1, 0].map((k) => ({ t: now + 60_000 - k * 60_000, v: 90 }));
    const next = await decide(r.compiled, { id: 'svc', capacity: 3, metrics: { ECSServiceAverageCPUUtilization: later }, state: d.state }, now + 60_000);
    expect([next.to, next.trace.policies?.awsTargetTracking?.[0]?.code]).toEqual([3, 'DesiredAlreadyCovers']);
  });

  it("models target tracking's warm-up (the policy's EstimatedInstanceWarmup) and instance weights (capacity units), and refuses an unknown policy type and name", () => {
    const text = JSON.stringify({
      Resources: {
        Group: {
          Type: 'AWS::AutoScaling::AutoScalingGroup',
          Properties: {
            MinSize: 1,
            MaxSize: 4,
            DefaultInstanceWarmup: 60,
            MixedInstancesPolicy: { LaunchTemplate: { Overrides: [{ InstanceType: 'c5.large', WeightedCapacity: '2' }] } },
          },
        },
        Track: {
          Type: 'AWS::AutoScaling::ScalingPolicy',
          Properties: {
            AutoScalingGroupName: { Ref: 'Group' },
            PolicyType: 'TargetTrackingScaling',
            EstimatedInstanceWarmup: 120,
            TargetTrackingConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } },
          },
        },
      },
    });
    const r = ok(importAwsAutoscaling(text));
    expect(r.unsupported).toEqual([]);
    expect(r.notes).toContainEqual(expect.stringMatching(/^The group uses instance weights \(c5\.large = 2\): capacity is in capacity units; send each instance's WeightedCapacity as its `weight`/));
    expect(r.ruleSet.awsTargetTracking?.policies[0]?.warmupSeconds).toBe(120);
    // Without its own, the group's DefaultInstanceWarmup.
    const groupWarmup = ok(importAwsAutoscaling(text.replace('"EstimatedInstanceWarmup":120,', '')));
    expect(groupWarmup.ruleSet.awsTargetTracking?.policies[0]?.warmupSeconds).toBe(60);
    expect(issues(importAwsAutoscaling(text, { name: 'Other' }))).toEqual([{ reason: 'AwsChooseName', path: '' }]);
    const bad = text.replace('TargetTrackingScaling', 'Guesswork');
    expect(issues(importAwsAutoscaling(bad))).toEqual([{ reason: 'AwsUnknownPolicyType', path: 'Resources.Track.Properties.PolicyType' }]);
  });

  it("a step policy's warm-up is its EstimatedInstanceWarmup, else the group's DefaultInstanceWarmup, else its DefaultCooldown", () => {
    const stepPolicy = (extra: Record<string, unknown>) => ({
      AutoScalingGroupName: 'web',
      PolicyName: 'out',
      PolicyARN: 'arn:out',
      PolicyType: 'StepScaling',
      AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      ...extra,
    });
    const input = (group: Record<string, unknown>, policy: Record<string, unknown>) => ({
      AutoScalingGroups: [{ AutoScalingGroupName: 'web', MinSize: 1, MaxSize: 10, ...group }],
      ScalingPolicies: [stepPolicy(policy)],
      MetricAlarms: [{ AlarmName: 'hot', MetricName: 'CPUUtilization', Threshold: 70, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: ['arn:out'] }],
    });
    const warmup = (group: Record<string, unknown>, policy: Record<string, unknown> = {}) => ok(importAwsAutoscaling(input(group, policy))).ruleSet.stepScaling?.[0]?.warmupSeconds;
    expect(warmup({ DefaultInstanceWarmup: 60, DefaultCooldown: 120 }, { EstimatedInstanceWarmup: 30 })).toBe(30);
    expect(warmup({ DefaultInstanceWarmup: 60, DefaultCooldown: 120 })).toBe(60);
    expect(warmup({ DefaultInstanceWarmup: -1, DefaultCooldown: 120 })).toBe(120);
    expect(warmup({})).toBe(300);
  });

  it('refuses input that is not AWS, and never throws on hostile shapes', () => {
    const laughs = importAwsAutoscaling(`Resources:\n  X:\n    Type: AWS::AutoScaling::AutoScalingGroup\n${BILLION_LAUGHS.replace(/^/gm, '    ')}`);
    expect(issues(laughs)).toEqual([{ reason: 'AwsNotRecognised', path: '' }]);
    const deep = importAwsAutoscaling(`${'['.repeat(200)}${']'.repeat(200)}`);
    expect(issues(deep)[0]?.reason).toBe('AwsNotRecognised');
    expect(issues(importAwsAutoscaling('{"kind": "HorizontalPodAutoscaler"}'))).toEqual([{ reason: 'AwsNotRecognised', path: '' }]);
    expect(issues(importAwsAutoscaling('Resources: [unclosed'))).toEqual([{ reason: 'AwsNotRecognised', path: '' }]);
    expect(importAwsAutoscaling({ ScalingPolicies: [null, 3] }).ok).toBe(false);
    const steps = {
      ScalingPolicies: [{ PolicyName: 'p', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity', StepAdjustments: 'x', Alarms: [{ AlarmName: 'a' }] }],
      MetricAlarms: [{ AlarmName: 'a', MetricName: 'm', Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }],
    };
    expect(issues(importAwsAutoscaling(steps))).toEqual([{ reason: 'AwsInvalidValue', path: 'ScalingPolicies[0].StepAdjustments' }]);
    expect(issues(importAwsAutoscaling({ ...steps, ScalingPolicies: [{ ...steps.ScalingPolicies[0], AdjustmentType: undefined }] }))).toEqual([
      { reason: 'AwsInvalidValue', path: 'ScalingPolicies[0].AdjustmentType' },
    ]);
  });
});

describe('entry points: CLI import aws and the API wrapper', () => {
  it('detects CloudFormation YAML and describe output as aws', () => {
    const text = fixture('AutoScalingScheduledAction.yaml');
    expect(detectFormat('t.yaml', undefined, text)).toBe('aws');
    expect(detectFormat('p.json', JSON.parse(fixture('describe-policies.json')))).toBe('aws');
    expect(detectFormat('hpa.yaml', undefined, 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n')).toBe('hpa');
  });

  it('edgescale import aws <file> --name prints the native rule set', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      readText: async () => ({ ok: true, text: fixture('ECS_Schedule_Example.yaml') }),
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      color: false,
      now: () => 0,
      parse: () => {
        throw new Error('not used');
      },
      serve: async () => 0,
    };
    expect(await runRequest({ command: 'import', format: 'aws', file: 'ecs.yaml', name: 'ServiceScalingTarget' }, io)).toBe(0);
    expect((JSON.parse(out.join('\n')) as { id: string }).id).toBe('ServiceScalingTarget');
    expect(err).toContain(
      'ecs.yaml:Resources.ServiceScalingPolicy.Properties.StepScalingPolicyConfiguration.Cooldown: not imported: the Application Auto Scaling step cooldown is not modelled (AwsWarmupNotModelled)',
    );
  });

  it('a bundled rules/<id>.aws.yaml is imported under the id of its file name', () => {
    const entries = bundledRuleSets({ 'nightly.aws.yaml': fixture('AutoScalingScheduledAction.yaml') });
    const entry = entries.get('nightly');
    expect([entry?.ruleSet?.spec.id, entry?.imported?.format, entry?.ruleSet?.spec.profiles?.length]).toEqual(['nightly', 'aws', 2]);
  });

  it('the API wrapper { aws, name } imports with paths under it', () => {
    const good = importWrapped({ aws: fixture('ECS_Schedule_Example.yaml'), name: 'ServiceScalingTarget' }, 'targets[0].ruleSet');
    expect(good?.ok && good.imported).toMatchObject({
      format: 'aws',
      unsupported: [{ path: 'targets[0].ruleSet.aws.Resources.ServiceScalingPolicy.Properties.StepScalingPolicyConfiguration.Cooldown', reason: 'AwsWarmupNotModelled' }],
    });
    const bad = importWrapped({ aws: fixture('ECS_Schedule_Example.yaml') }, 'targets[0].ruleSet');
    expect(bad?.ok === false && bad.issues.map((i) => [i.code, i.reason, i.path])).toEqual([['ImportError', 'AwsChooseName', 'targets[0].ruleSet.aws']]);
  });
});
