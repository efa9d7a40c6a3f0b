//! The JMeter functions pts-local evaluates in sampler fields, fresh before each sample:
//! `__threadNum`, `__Random(min,max)`, `__RandomString(length,chars)`, `__UUID`, `__time()`
//! (epoch ms) and `__time(/1000)` (epoch s). Each distinct call becomes a variable slot.
//! Also the number formats of counters and random variables, and random timer delays.

use super::types::JmxTimer;
use crate::engine::check::next_rand;
use crate::ids::now_ms;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Func {
    ThreadNum,
    Random { min: i64, max: i64 },
    RandomString { len: usize, chars: Vec<char> },
    Uuid,
    TimeMs,
    TimeSecs,
}

/// Parses a call; the error says what is supported.
pub(crate) fn parse(call: &str) -> Result<Func, String> {
    let (name, args) = match call.split_once('(') {
        Some((n, a)) => (n, a.strip_suffix(')').ok_or_else(|| format!("`{call}`: missing `)`"))?),
        None => (call, ""),
    };
    let args: Vec<&str> =
        if args.trim().is_empty() { Vec::new() } else { args.split(',').map(str::trim).collect() };
    let int = |i: usize| -> Result<i64, String> {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("`{call}`: argument {} is not a whole number", i + 1))
    };
    let no_var = |from: usize| -> Result<(), String> {
        match args.get(from) {
            Some(v) if !v.is_empty() => {
                Err(format!("`{call}`: storing the result in a variable is not supported"))
            }
            _ => Ok(()),
        }
    };
    Ok(match name.trim() {
        "__threadNum" => Func::ThreadNum,
        "__Random" => {
            no_var(2)?;
            let (min, max) = (int(0)?, int(1)?);
            if max < min {
                return Err(format!("`{call}`: the maximum is below the minimum"));
            }
            Func::Random { min, max }
        }
        "__RandomString" => {
            no_var(2)?;
            let len = int(0)?.max(0) as usize;
            let chars: Vec<char> = args.get(1).copied().unwrap_or("").chars().collect();
            let chars = if chars.is_empty() {
                ('a'..='z').chain('A'..='Z').chain('0'..='9').collect()
            } else {
                chars
            };
            Func::RandomString { len, chars }
        }
        "__UUID" => Func::Uuid,
        "__time" => match args.first().copied().unwrap_or("") {
            "" => {
                no_var(1)?;
                Func::TimeMs
            }
            "/1000" => {
                no_var(1)?;
                Func::TimeSecs
            }
            f => {
                return Err(format!(
                    "`{call}`: time format `{f}` is not supported (none, or /1000)"
                ));
            }
        },
        other => {
            return Err(format!(
                "the JMeter function `{other}` is not supported (supported: __threadNum, __Random, \
                 __RandomString, __UUID, __time, __P, __property)"
            ));
        }
    })
}

impl Func {
    /// The value for one sample of thread `thread` (1-based within its group).
    pub(crate) fn eval(&self, thread: u64, rng: &mut u64) -> String {
        match self {
            Func::ThreadNum => thread.to_string(),
            Func::Random { min, max } => {
                let span = (max - min) as u64 + 1;
                (min + (next_rand(rng) % span) as i64).to_string()
            }
            Func::RandomString { len, chars } => {
                (0..*len).map(|_| chars[(next_rand(rng) % chars.len() as u64) as usize]).collect()
            }
            Func::Uuid => {
                let (a, b) = (next_rand(rng), next_rand(rng));
                let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
                let a = (a & 0xffff_ffff_ffff_0fff) | 0x4000;
                format!(
                    "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    a >> 32,
                    (a >> 16) & 0xffff,
                    a & 0xffff,
                    b >> 48,
                    b & 0xffff_ffff_ffff
                )
            }
            Func::TimeMs => now_ms().to_string(),
            Func::TimeSecs => (now_ms() / 1000).to_string(),
        }
    }
}

/// `n` formatted like JMeter's counter/random formats: literal text around a run of `0`
/// (minimum digits) and `#`.
pub(crate) fn format_num(pattern: &str, n: i64) -> String {
    let Some(start) = pattern.find(['0', '#']) else {
        return format!("{pattern}{n}");
    };
    let len = pattern[start..].find(|c| c != '0' && c != '#').unwrap_or(pattern.len() - start);
    let digits = pattern[start..start + len].matches('0').count();
    let num =
        if n < 0 { format!("-{:0digits$}", n.unsigned_abs()) } else { format!("{n:0digits$}") };
    format!("{}{}{}", &pattern[..start], num, &pattern[start + len..])
}

fn uniform(rng: &mut u64) -> f64 {
    (next_rand(rng) >> 11) as f64 / (1u64 << 53) as f64
}

/// The random part of the timers before a sampler, ms.
pub(crate) fn timer_ms(timers: &[JmxTimer], rng: &mut u64) -> f64 {
    let mut ms = 0.0;
    for t in timers {
        ms += match *t {
            JmxTimer::Uniform { range_ms } => uniform(rng) * range_ms,
            JmxTimer::Gaussian { deviation_ms } => {
                // Box-Muller: a standard normal deviate.
                let (u1, u2) = (uniform(rng).max(1e-12), uniform(rng));
                (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos() * deviation_ms
            }
        };
    }
    ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions() {
        let mut rng = 7;
        for _ in 0..50 {
            let v: i64 = parse("__Random(1,3)").unwrap().eval(1, &mut rng).parse().unwrap();
            assert!((1..=3).contains(&v));
        }
        assert_eq!(parse("__threadNum").unwrap().eval(4, &mut rng), "4");
        let u = parse("__UUID()").unwrap().eval(1, &mut rng);
        assert_eq!((u.len(), &u[14..15]), (36, "4"), "{u}");
        assert_eq!(parse("__RandomString(5,ab)").unwrap().eval(1, &mut rng).len(), 5);
        assert!(parse("__time(/1000,)").unwrap().eval(1, &mut rng).len() >= 10);
        assert!(parse("__time(yyyy)").is_err());
        assert!(parse("__Random(1,3,v)").unwrap_err().contains("storing"));
        assert!(parse("__groovy(1)").unwrap_err().contains("__groovy"));
    }

    #[test]
    fn formats() {
        assert_eq!(format_num("000", 7), "007");
        assert_eq!(format_num("user_#00", 7), "user_07");
        assert_eq!(format_num("", 5), "5");
        assert_eq!(format_num("0", -3), "-3");
    }
}
