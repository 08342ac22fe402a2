import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DefaultDashboards, IDynamicDashboardFactory, IDynamicDashboardSegment } from 'cdk-monitoring-constructs';

/**
 * The dashboard factory of an ApiMonitoring's MonitoringFacade: every segment the facade
 * adds goes to ONE dashboard, which CloudFormation names (cdk-monitoring-constructs'
 * DefaultDashboardFactory writes a fixed `dashboardName`, which collides when two stacks or
 * two ApiMonitorings use the same prefix, and makes summary and alarm dashboards too).
 */
export class SingleDashboardFactory implements IDynamicDashboardFactory {
  constructor(public readonly dashboard: cloudwatch.Dashboard) {}

  public addDynamicSegment(segment: IDynamicDashboardSegment): void {
    const widgets = segment.widgetsForDashboard(DefaultDashboards.DETAIL);
    if (widgets.length > 0) this.dashboard.addWidgets(...widgets);
  }

  public getDashboard(type: string): cloudwatch.Dashboard | undefined {
    return type === String(DefaultDashboards.DETAIL) ? this.dashboard : undefined;
  }
}
