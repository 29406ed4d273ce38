import type {
  DescribeAlarmsCommandInput,
  PutMetricAlarmCommandInput,
  SetAlarmStateCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { SimApiError } from "./errors";
import type { SimAlarm } from "./state";
import type { CallContext, SimWorld } from "./world";

const alarmStates = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;

/** Creates (or keeps) a metric alarm; a new alarm starts INSUFFICIENT_DATA, as CloudWatch's do. */
export function putAlarm(world: SimWorld, region: string, name: string): SimAlarm {
  const state = world.region(region);
  state.alarms ??= new Map();
  const existing = state.alarms.get(name);
  if (existing) return existing;
  const alarm: SimAlarm = {
    name,
    arn: `arn:aws:cloudwatch:${region}:${world.accountId}:alarm:${name}`,
    state: "INSUFFICIENT_DATA",
    reason: "Unchecked: Initial alarm creation",
    updatedAt: world.clock.now(),
  };
  state.alarms.set(name, alarm);
  return alarm;
}

/** CloudWatch alarm operations answered by the simulated account: create, set state, describe. */
export const cloudWatchHandlers = {
  PutMetricAlarm(world: SimWorld, call: CallContext, input: PutMetricAlarmCommandInput) {
    putAlarm(world, call.region, input.AlarmName ?? "");
    return {};
  },

  /** What operators use to test an alarm's actions; the next evaluation would set it back. */
  SetAlarmState(world: SimWorld, call: CallContext, input: SetAlarmStateCommandInput) {
    const alarm = world.region(call.region).alarms?.get(input.AlarmName ?? "");
    if (!alarm) throw new SimApiError("ResourceNotFound", `Alarm ${input.AlarmName} does not exist`, 404);
    const value = input.StateValue as SimAlarm["state"];
    if (!alarmStates.includes(value)) throw new SimApiError("InvalidParameterValue", "Invalid StateValue");
    Object.assign(alarm, { state: value, reason: input.StateReason ?? "", updatedAt: world.clock.now() });
    return {};
  },

  DescribeAlarms(world: SimWorld, call: CallContext, input: DescribeAlarmsCommandInput) {
    const alarms = [...(world.region(call.region).alarms?.values() ?? [])].filter(
      (alarm) =>
        (!input.AlarmNames || input.AlarmNames.includes(alarm.name)) &&
        (!input.AlarmNamePrefix || alarm.name.startsWith(input.AlarmNamePrefix)) &&
        (!input.StateValue || alarm.state === input.StateValue),
    );
    return {
      MetricAlarms: alarms.map((alarm) => ({
        AlarmName: alarm.name,
        AlarmArn: alarm.arn,
        StateValue: alarm.state,
        StateReason: alarm.reason,
        StateUpdatedTimestamp: alarm.updatedAt,
      })),
      CompositeAlarms: [],
    };
  },
};
