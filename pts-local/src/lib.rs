//! Local PTS-compatible service (see issue: pts-local).
