import { startLoopbackServer } from './loopback-server';
import type { LoopbackResponse, LoopbackServer } from './loopback-server';

/** One datapoint of a metric: its time (epoch ms) and value. */
export interface FakeDatapoint {
  readonly atMs: number;
  readonly value: number;
}

/** A CloudWatch stand-in on loopback: `DescribeAlarms` and `GetMetricData`, in the AWS JSON 1.0 protocol the SDK uses. */
export interface FakeCloudWatch extends LoopbackServer {
  /** Declares an alarm and its state. */
  setAlarm(name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'): void;
  /** Sets the datapoints of a metric, named `<namespace>/<metric name>`, then `|<dimension>=<value>` for each dimension. */
  setMetric(namespaceAndName: string, points: readonly FakeDatapoint[]): void;
}

interface MetricQuery {
  readonly Id: string;
  readonly MetricStat: { readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions?: ReadonlyArray<{ readonly Name: string; readonly Value: string }> } };
}

const json = (status: number, body: unknown): LoopbackResponse => ({ status, contentType: 'application/x-amz-json-1.0', body: JSON.stringify(body) });

/** Starts the fake on a free loopback port; point a client at `endpoint` (or `AWS_ENDPOINT_URL_CLOUDWATCH`). */
export const startFakeCloudWatch = async (): Promise<FakeCloudWatch> => {
  const alarms = new Map<string, string>();
  const metrics = new Map<string, readonly FakeDatapoint[]>();
  const operations: Record<string, (input: Record<string, unknown>) => LoopbackResponse> = {
    DescribeAlarms: (input) => {
      const prefix = String(input.AlarmNamePrefix ?? '');
      const matching = [...alarms].filter(([name, state]) => name.startsWith(prefix) && (input.StateValue === undefined || input.StateValue === state));
      return json(200, { MetricAlarms: matching.map(([name, state]) => ({ AlarmName: name, StateValue: state })), CompositeAlarms: [] });
    },
    GetMetricData: (input) => {
      const [start, end] = [Number(input.StartTime) * 1000, Number(input.EndTime) * 1000];
      const results = (input.MetricDataQueries as MetricQuery[]).map((query) => {
        const { Namespace, MetricName, Dimensions = [] } = query.MetricStat.Metric;
        const key = [`${Namespace}/${MetricName}`, ...Dimensions.map((dimension) => `${dimension.Name}=${dimension.Value}`)].join('|');
        const points = (metrics.get(key) ?? []).filter((point) => point.atMs >= start && point.atMs <= end).sort((a, b) => b.atMs - a.atMs);
        return { Id: query.Id, Label: MetricName, StatusCode: 'Complete', Timestamps: points.map((point) => point.atMs / 1000), Values: points.map((point) => point.value) };
      });
      return json(200, { MetricDataResults: results, Messages: [] });
    },
  };
  const server = await startLoopbackServer((request) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace(/^GraniteServiceVersion20100801\./, '');
    const run = operations[target];
    if (run === undefined) return json(400, { __type: 'InvalidAction', message: `fake does not speak ${target}` });
    return run(JSON.parse(request.body || '{}') as Record<string, unknown>);
  });
  return {
    ...server,
    setAlarm: (name, state) => {
      alarms.set(name, state);
    },
    setMetric: (name, points) => {
      metrics.set(name, points);
    },
  };
};
