/**
 * The container's stop timeout on Fargate Spot: Fargate's maximum, the whole two-minute
 * interruption warning between SIGTERM and the end of the task.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
 */
export const SPOT_STOP_TIMEOUT_SECONDS = 120;
