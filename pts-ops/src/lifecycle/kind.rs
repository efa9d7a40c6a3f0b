//! The two id spaces (PTS scenes, JMeter scenes), which the lifecycle steps share.

/// The two id spaces (PTS scenes, JMeter scenes): their operations and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pts,
    Jmeter,
}

impl Kind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Pts => "scene",
            Kind::Jmeter => "JMeter scene",
        }
    }
    pub(crate) fn command(self) -> &'static str {
        match self {
            Kind::Pts => "scene",
            Kind::Jmeter => "jmeter",
        }
    }
    pub(crate) fn stop_op(self) -> &'static str {
        match self {
            Kind::Pts => "StopPtsScene",
            Kind::Jmeter => "StopTestingJMeterScene",
        }
    }
    pub(crate) fn delete_op(self) -> &'static str {
        match self {
            Kind::Pts => "DeletePtsScene",
            Kind::Jmeter => "RemoveOpenJMeterScene",
        }
    }
}
