//! Test modes: the generated [`TestMode`] enum reads every spelling PTS uses (its aliases are
//! recorded once, in the code generator's overrides); this adds what the load model needs.

pub use crate::shapes::test_mode::TestMode;

impl TestMode {
    /// The spelling GetPtsScene documents and JMeter scenes take (`CONCURRENCY`/`TPS`);
    /// an unknown value as it was given.
    pub fn upper(&self) -> &str {
        match self {
            TestMode::ConcurrencyMode => "CONCURRENCY",
            TestMode::TpsMode => "TPS",
            TestMode::Unknown(s) => s,
        }
    }

    /// What one agent carries in this mode: 250 virtual users or 2000 requests/s.
    pub fn per_agent(&self) -> Option<i64> {
        match self {
            TestMode::ConcurrencyMode => Some(250),
            TestMode::TpsMode => Some(2000),
            TestMode::Unknown(_) => None,
        }
    }

    /// The unit of a load figure in this mode, for messages.
    pub fn unit(&self) -> &'static str {
        match self {
            TestMode::TpsMode => "RPS",
            _ => "virtual users",
        }
    }
}

/// The response spelling (`CONCURRENCY`/`TPS`) of any known spelling; anything else unchanged.
pub fn to_upper(s: &str) -> String {
    TestMode::from(s).upper().to_string()
}

/// The request spelling (`concurrency_mode`/`tps_mode`) of any known spelling; anything else
/// unchanged.
pub fn to_wire(s: &str) -> String {
    TestMode::from(s).as_str().to_string()
}
