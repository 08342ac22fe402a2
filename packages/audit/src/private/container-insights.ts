/**
 * The CloudWatch metrics and performance log events Container Insights bills for an ECS
 * cluster, counted from what a template says about its services: their task definition
 * families, capacity (Fargate or EC2), network mode, operating system, containers and
 * desired counts.
 *
 * Sources (the metric names and the dimension sets each is published in):
 * - standard: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 * - enhanced observability: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-enhanced-observability-metrics-ECS.html
 * Billing: "the metrics are charged as custom metrics" (same pages), prorated by the hour and
 * only for hours with data; ECS publishes them only for resources with RUNNING tasks
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
 *
 * Each metric is one series per value of its dimension set, so the count is the number of
 * distinct (metric, dimension values) pairs: `CpuUtilized` by ClusterName is one series per
 * cluster, by ServiceName + ClusterName one per service, by TaskDefinitionFamily + ClusterName
 * one per family (not per revision), and with enhanced observability also one per task
 * (TaskId), and container metrics one per container name.
 */

/** Container Insights of a cluster: `ClusterSettings` `containerInsights`. */
export type InsightsMode = 'disabled' | 'enabled' | 'enhanced';

/** One service of the cluster, as the template describes it. */
export interface InsightsService {
  /** Logical id of the service (a stand-in for its name: one series per service). */
  readonly id: string;
  /** The task definition family (CloudFormation `Family`, or the task definition's logical id). */
  readonly family: string;
  /** Desired count: tasks that run (with enhanced observability one series per task). */
  readonly tasks: number;
  /** Fargate (ephemeral-storage metrics on Linux) or EC2 (the ContainerInstanceCount metric). */
  readonly fargate: boolean;
  /** Whether its tasks run Windows (no ephemeral-storage metrics). */
  readonly windows: boolean;
  /** Network metrics exist for the `awsvpc` and `bridge` network modes only. */
  readonly networkMetrics: boolean;
  /** Container names of its task definition, each with whether it has a health check and a restart policy. */
  readonly containers: Array<{ name: string; healthCheck: boolean; restartPolicy: boolean }>;
}

/** What Container Insights of one cluster bills a month. */
export interface InsightsUsage {
  /** Metric series (custom metrics). */
  readonly metrics: number;
  /** How they were counted, by dimension set. */
  readonly breakdown: string;
  /** Performance log events a minute (one per cluster, service and task; with enhanced, one per container too). */
  readonly eventsPerMinute: number;
}

/** The eight metrics in the cluster, service and family dimension sets in both modes (network ones: awsvpc/bridge only). */
const TASK_METRICS = ['CpuUtilized', 'CpuReserved', 'MemoryUtilized', 'MemoryReserved', 'StorageReadBytes', 'StorageWriteBytes'];
const NETWORK_METRICS = ['NetworkRxBytes', 'NetworkTxBytes'];
/** Fargate Linux platform version 1.4.0 or later only. */
const EPHEMERAL_METRICS = ['EphemeralStorageReserved', 'EphemeralStorageUtilized'];
/** ServiceName, ClusterName only. */
const SERVICE_METRICS = ['DeploymentCount', 'DesiredTaskCount', 'PendingTaskCount', 'RunningTaskCount', 'TaskSetCount'];
/** ClusterName only (ContainerInstanceCount: EC2 capacity). */
const CLUSTER_METRICS = ['TaskCount', 'ServiceCount'];
/** Enhanced: task-level metrics, published like the task metrics plus per TaskId (with ServiceName or TaskDefinitionFamily). */
const ENHANCED_TASK_METRICS = ['TaskCpuUtilization', 'TaskMemoryUtilization', 'ContainerCpuUtilization'];
const ENHANCED_NETWORK_METRICS = ['ContainerNetworkRxBytes', 'ContainerNetworkTxBytes'];
const ENHANCED_EPHEMERAL_METRICS = ['TaskEphemeralStorageUtilization'];
/** Enhanced: per container name (ClusterName; + ServiceName or TaskDefinitionFamily; + TaskId). */
const ENHANCED_CONTAINER_METRICS = ['ContainerCpuUtilized', 'ContainerCpuReserved', 'ContainerMemoryUtilized', 'ContainerMemoryReserved',
  'ContainerMemoryUtilization', 'ContainerStorageReadBytes', 'ContainerStorageWriteBytes'];

/**
 * Counts the metric series and performance log events of one cluster's Container Insights.
 * Services with no running task publish nothing (and are left out).
 */
export function containerInsightsUsage(mode: InsightsMode, services: InsightsService[]): InsightsUsage {
  if (mode === 'disabled') return { metrics: 0, breakdown: 'off', eventsPerMinute: 0 };
  const running = services.filter((s) => s.tasks > 0);
  if (running.length === 0) return { metrics: 0, breakdown: 'no running task: ECS publishes nothing', eventsPerMinute: 0 };
  const series = new Set<string>();
  const add = (metrics: string[], dims: string) => metrics.forEach((m) => series.add(`${m}|${dims}`));
  const enhanced = mode === 'enhanced';
  add(CLUSTER_METRICS, 'C');
  if (running.some((s) => !s.fargate)) add(['ContainerInstanceCount'], 'C');
  let events = 1; // one cluster event a minute
  for (const s of running) {
    const tasks = Math.ceil(s.tasks);
    const ephemeral = s.fargate && !s.windows;
    const taskMetrics = [
      ...TASK_METRICS,
      ...(s.networkMetrics ? NETWORK_METRICS : []),
      ...(ephemeral ? EPHEMERAL_METRICS : []),
      ...(enhanced ? ENHANCED_TASK_METRICS : []),
      ...(enhanced && s.networkMetrics ? ENHANCED_NETWORK_METRICS : []),
      ...(enhanced && ephemeral ? ENHANCED_EPHEMERAL_METRICS : []),
    ];
    const svc = `S:${s.id}`;
    const fam = `F:${s.family}`;
    add(taskMetrics, 'C');
    add(taskMetrics, svc);
    add(taskMetrics, fam);
    add(SERVICE_METRICS, svc);
    events += 1 + tasks; // a service event and a task event a minute
    if (!enhanced) continue;
    events += tasks * s.containers.length; // a container event per container a minute
    for (let i = 0; i < tasks; i++) {
      add(taskMetrics, `${svc}|T:${i}`);
      add(taskMetrics, `${fam}|T:${s.id}:${i}`);
    }
    for (const c of s.containers) {
      const metrics = [...ENHANCED_CONTAINER_METRICS, ...(c.healthCheck ? ['UnHealthyContainerHealthStatus'] : [])];
      add(metrics, 'C');
      add(metrics, `${svc}|K:${c.name}`);
      add(metrics, `${fam}|K:${c.name}`);
      for (let i = 0; i < tasks; i++) {
        add(metrics, `${svc}|T:${i}|K:${c.name}`);
        add(metrics, `${fam}|T:${s.id}:${i}|K:${c.name}`);
      }
    }
    if (s.containers.some((c) => c.restartPolicy)) {
      // RestartCount: ClusterName; + ServiceName or TaskDefinitionFamily; + TaskId; + ContainerName
      add(['RestartCount'], 'C');
      add(['RestartCount'], svc);
      add(['RestartCount'], fam);
      for (let i = 0; i < tasks; i++) {
        add(['RestartCount'], `${svc}|T:${i}`);
        add(['RestartCount'], `${fam}|T:${s.id}:${i}`);
      }
      for (const c of s.containers.filter((x) => x.restartPolicy)) {
        add(['RestartCount'], `${svc}|K:${c.name}`);
        add(['RestartCount'], `${fam}|K:${c.name}`);
        for (let i = 0; i < tasks; i++) {
          add(['RestartCount'], `${svc}|T:${i}|K:${c.name}`);
          add(['RestartCount'], `${fam}|T:${s.id}:${i}|K:${c.name}`);
        }
      }
    }
  }
  const count = (pred: (dims: string) => boolean) => [...series].filter((k) => pred(k.slice(k.indexOf('|') + 1))).length;
  const cluster = count((d) => d === 'C');
  const perService = count((d) => d.startsWith('S:') && !d.includes('|'));
  const perFamily = count((d) => d.startsWith('F:') && !d.includes('|'));
  const perTask = count((d) => d.includes('|T:') && !d.includes('|K:'));
  const perContainer = count((d) => d.includes('|K:'));
  const families = new Set(running.map((s) => s.family)).size;
  const breakdown = [
    `${cluster} by cluster`,
    `${perService} by service (${running.length})`,
    `${perFamily} by task family (${families})`,
    ...(enhanced ? [`${perTask} by task`, `${perContainer} by container`] : []),
  ].join(', ');
  return { metrics: series.size, breakdown, eventsPerMinute: events };
}
