//! Test modes and every spelling PTS uses for them.

/// How a scene's load is given: concurrent virtual users per relation, or requests per
/// second per API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TestMode {
    Concurrency,
    Rps,
}

impl TestMode {
    /// Accepts the four spellings PTS uses: requests take `concurrency_mode`/`tps_mode`,
    /// GetPtsScene and the JMeter operations answer `CONCURRENCY`/`TPS` as well.
    pub fn parse(s: &str) -> Option<TestMode> {
        match s {
            "concurrency_mode" | "CONCURRENCY" => Some(TestMode::Concurrency),
            "tps_mode" | "TPS" => Some(TestMode::Rps),
            _ => None,
        }
    }

    /// The spelling requests take (SavePtsScene `LoadConfig.TestMode`).
    pub fn wire(self) -> &'static str {
        match self {
            TestMode::Concurrency => "concurrency_mode",
            TestMode::Rps => "tps_mode",
        }
    }

    /// The spelling GetPtsScene documents and JMeter scenes take (`CONCURRENCY`/`TPS`).
    pub fn upper(self) -> &'static str {
        match self {
            TestMode::Concurrency => "CONCURRENCY",
            TestMode::Rps => "TPS",
        }
    }

    /// What one agent carries in this mode: 250 virtual users or 2000 requests/s.
    pub fn per_agent(self) -> i64 {
        match self {
            TestMode::Concurrency => 250,
            TestMode::Rps => 2000,
        }
    }

    /// The unit of a load figure in this mode, for messages.
    pub fn unit(self) -> &'static str {
        match self {
            TestMode::Concurrency => "virtual users",
            TestMode::Rps => "RPS",
        }
    }
}

/// The response spelling of a request spelling; anything else unchanged.
pub fn to_upper(s: &str) -> String {
    TestMode::parse(s).map_or_else(|| s.to_string(), |m| m.upper().to_string())
}

/// The request spelling of any known spelling; anything else unchanged.
pub fn to_wire(s: &str) -> String {
    TestMode::parse(s).map_or_else(|| s.to_string(), |m| m.wire().to_string())
}
