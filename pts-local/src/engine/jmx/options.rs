//! Run settings of JMeter scenes that do not come from the JMX itself.

/// Timeout of JMeter samplers that set none (JMeter itself waits forever).
pub const JMETER_DEFAULT_TIMEOUT_SECS: u64 = 60;

/// Load overrides a JMeter scene may set (`SaveOpenJMeterScene` Concurrency/Duration/RampUp).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JmeterOptions {
    /// Total threads, split evenly over the main thread groups (overrides `num_threads`).
    pub concurrency: Option<u32>,
    /// Seconds (overrides each main thread group's duration; scaled by `time_scale / 60`).
    pub duration_secs: Option<u64>,
    /// Seconds (overrides `ramp_time`).
    pub ramp_up_secs: Option<u64>,
}
