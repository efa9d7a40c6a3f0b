use super::*;
use std::time::Duration;

const SECS: fn(u64) -> Duration = Duration::from_secs;

#[test]
fn pts_wall_text_is_utc_plus_8() {
    let t = Timestamp::parse_pts("2021-02-26 16:28:30").unwrap();
    assert_eq!(t.rfc3339_in(Zone::Utc), "2021-02-26T08:28:30Z");
    assert_eq!(t.rfc3339_in(Zone::Offset(PTS_OFFSET_SECS)), "2021-02-26T16:28:30+08:00");
    assert_eq!(t.rfc3339_in(Zone::Offset(-(3 * 3600 + 1800))), "2021-02-26T04:58:30-03:30");
    assert_eq!(t.pts_text(), "2021-02-26 16:28:30");
    assert_eq!(Timestamp::parse_pts("2021-02-26T16:28:30").unwrap(), t);
    assert_eq!(
        Timestamp::parse_pts("2021-02-26 16:28:30.250").unwrap().epoch_ms(),
        t.epoch_ms() + 250
    );
    assert_eq!(Timestamp::from_epoch_ms(0).pts_text(), "1970-01-01 08:00:00");
}

#[test]
fn every_instant_form_reads_as_the_same_instant() {
    let t = Timestamp::parse_pts("2022-04-11 20:55:43").unwrap();
    assert_eq!(t.epoch_ms(), 1_649_681_743_000);
    for text in [
        "2022-04-11 20:55:43",
        "1649681743000",
        "1649681743",
        "2022-04-11T12:55:43Z",
        "2022-04-11T20:55:43+08:00",
    ] {
        assert_eq!(Timestamp::parse(text).unwrap(), t, "{text}");
    }
}

#[test]
fn bad_instants_say_what_is_wrong() {
    for (text, why) in [
        ("2021-13-01 00:00:00", "month 13"),
        ("2021-02-29 00:00:00", "day 29 does not exist in 2021-02"),
        ("2021-02-01 24:00:00", "24:00:00 is not a time of day"),
        ("2021-02-01", "19 characters"),
        ("2021-0x-01 00:00:00", "month `0x` is not a number"),
        ("2021-02-01 00:00:00 junk", "unexpected ` junk`"),
    ] {
        let e = Timestamp::parse_pts(text).unwrap_err();
        assert!(e.to_string().contains(why), "{text}: {e}");
    }
    assert!(Timestamp::parse("yesterday").is_err());
    // Text that is not ASCII where the digits belong is refused, not sliced mid-character.
    assert!(Timestamp::parse_pts("2021-0分-01 00:00:00").is_err());
    assert!(Timestamp::parse("2021年02月01日 00:00:00").is_err());
    assert!(parse_duration("二分钟").is_err());
    assert!(Timestamp::parse("2021-02-01T00:00:00+99:00").is_err());
}

#[test]
fn wall_text_matches_the_time_crate() {
    let fmt = ::time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    for ms in
        [0, 951_782_400_000, 1_717_243_200_123, 4_102_444_799_999, -86_400_000, 1_709_164_800_000]
    {
        for off in [0, PTS_OFFSET_SECS, -5 * 3600] {
            let slow =
                ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
                    .unwrap()
                    .to_offset(::time::UtcOffset::from_whole_seconds(off).unwrap())
                    .format(&fmt)
                    .unwrap();
            let t = Timestamp::from_epoch_ms(ms);
            assert_eq!(t.wall_text(off), slow, "{ms} {off}");
            assert_eq!(
                Timestamp::parse_wall(&slow, off).unwrap().epoch_ms(),
                ms - ms.rem_euclid(1000)
            );
        }
    }
}

#[test]
fn system_time_round_trips() {
    let t = Timestamp::from_epoch_ms(1_717_243_200_123);
    assert_eq!(Timestamp::from_system_time(t.to_system_time()), t);
    let before = Timestamp::from_epoch_ms(-1500);
    assert_eq!(Timestamp::from_system_time(before.to_system_time()), before);
    assert_eq!(t.until(t.plus(SECS(4))), SECS(4));
    assert_eq!(t.plus(SECS(4)).until(t), Duration::ZERO);
}

#[test]
fn every_duration_form_the_service_writes() {
    for (text, secs) in [
        ("10分钟", 600),
        ("2分钟", 120),
        ("30秒", 30),
        ("1小时", 3600),
        ("1个小时", 3600),
        ("1小时30分钟", 5400),
        ("1小时 30分", 5400),
        ("2分30秒", 150),
        ("2分钟30秒", 150),
        ("1天", 86_400),
        ("1天2小时", 93_600),
        ("10 minutes", 600),
        ("1 minute", 60),
        ("1 hour 5 min", 3900),
        ("1 hour and 5 minutes", 3900),
        ("1 hour, 5 minutes", 3900),
        ("2m 05s", 125),
        ("1h30m", 5400),
        ("1h 02m 05s", 3725),
        ("90s", 90),
        ("90 secs", 90),
        ("1.5h", 5400),
        ("2 Hours", 7200),
        ("600", 600),
        ("01:02:05", 3725),
        ("02:05", 125),
    ] {
        assert_eq!(parse_duration(text).unwrap(), SECS(secs), "{text}");
    }
    assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
    assert_eq!(parse_duration("4.5").unwrap(), Duration::from_millis(4500));
}

#[test]
fn bad_durations_say_what_is_wrong() {
    for (text, why) in [
        ("", "empty"),
        ("10 fortnights", "`fortnights` is not a unit"),
        ("分钟", "expected a number"),
        ("5 5s", "has no unit"),
        ("01:75", "hh:mm:ss"),
        ("-5", ">= 0"),
    ] {
        let e = parse_duration(text).unwrap_err();
        assert!(e.to_string().contains(why), "{text}: {e}");
    }
}

#[test]
fn human_durations() {
    for (d, text) in [
        (Duration::from_millis(250), "250ms"),
        (SECS(4), "4s"),
        (Duration::from_millis(4_400), "4s"),
        (SECS(59), "59s"),
        (SECS(60), "1m 00s"),
        (SECS(125), "2m 05s"),
        (SECS(3725), "1h 02m 05s"),
        (SECS(93_600), "1d 02h 00m 00s"),
    ] {
        assert_eq!(human_duration(d), text, "{d:?}");
    }
    assert_eq!(human_duration(parse_duration("2分钟").unwrap()), "2m 00s");
}

#[test]
fn pts_minutes_round_up() {
    assert_eq!(pts_minutes_text(SECS(61)), "2分钟");
    assert_eq!(pts_minutes_text(SECS(120)), "2分钟");
    assert_eq!(pts_minutes_text(Duration::from_millis(120_001)), "3分钟");
    assert_eq!(parse_duration(&pts_minutes_text(SECS(600))).unwrap(), SECS(600));
}

#[test]
fn display_zone_is_process_wide() {
    let t = Timestamp::from_epoch_ms(1_649_681_743_000);
    let before = display_zone();
    set_display_zone(Zone::Utc);
    assert_eq!(t.to_string(), "2022-04-11T12:55:43Z");
    assert_eq!(display_pts_text("2022-04-11 20:55:43"), "2022-04-11T12:55:43Z");
    assert_eq!(display_pts_text("not a time"), "not a time");
    set_display_zone(before);
    let local = t.rfc3339_in(Zone::Local);
    assert_eq!(Timestamp::parse(&local).unwrap(), t, "{local}");
}

#[test]
fn wire_objects_show_their_times() {
    let mut v = serde_json::json!({"SceneViewList": [
        {"SceneId": "S1", "CreateTime": "2022-04-11 20:55:43", "Status": "CREATED"},
        {"CreateTime": 1_649_681_743_000i64, "ModifiedTime": "not a time", "Duration": "10分钟"}
    ]});
    display_times(&mut v);
    let shown = Timestamp::from_epoch_ms(1_649_681_743_000).display_text();
    assert_eq!(v["SceneViewList"][0]["CreateTime"], shown.as_str());
    assert_eq!(v["SceneViewList"][1]["CreateTime"], shown.as_str());
    assert_eq!(v["SceneViewList"][1]["ModifiedTime"], "not a time");
    assert_eq!(v["SceneViewList"][1]["Duration"], "10分钟");
    assert_eq!(v["SceneViewList"][0]["SceneId"], "S1");
}
