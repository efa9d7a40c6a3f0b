//! Test modes: the generated [`TestMode`] enum reads every spelling PTS uses (its aliases are
//! recorded once, in the code generator's overrides); this adds what the load model needs.

use crate::shapes::load_mode::LoadMode;
pub use crate::shapes::test_mode::TestMode;

impl TestMode {
    /// The same mode as JMeter scenes spell it (`CONCURRENCY`/`TPS`, the spelling GetPtsScene
    /// documents too).
    pub fn load_mode(&self) -> LoadMode {
        match self {
            TestMode::ConcurrencyMode => LoadMode::Concurrency,
            TestMode::TpsMode => LoadMode::Tps,
            TestMode::Unknown(s) => LoadMode::Unknown(s.clone()),
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
    TestMode::from(s).load_mode().as_str().to_string()
}

/// The request spelling (`concurrency_mode`/`tps_mode`) of any known spelling; anything else
/// unchanged.
pub fn to_wire(s: &str) -> String {
    TestMode::from(s).as_str().to_string()
}
