//! The live view of a watch, as an `on_sample` printer: on a terminal an indicatif line
//! redrawn each second; otherwise one JSON object per sample (for programs) or one text
//! line per sample (for CI logs).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pts_ops::samples::Sample;
use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    Json,
    Text,
}

pub struct LiveView {
    bar: Option<ProgressBar>,
    lines: Lines,
    sink: Sink,
}

impl LiveView {
    /// `pts scene watch`: a live line on a terminal stdout, else JSON lines on stdout.
    pub fn for_stdout() -> LiveView {
        Self::pick(Sink::Stdout, Lines::Json)
    }

    /// `pts run`: stdout carries the verdict, so the view goes to stderr: a live line on a
    /// terminal, else one text line per sample.
    pub fn for_stderr() -> LiveView {
        Self::pick(Sink::Stderr, Lines::Text)
    }

    /// `pts demo`: a live line on a terminal stdout, else text lines on stdout.
    pub fn text_stdout() -> LiveView {
        Self::pick(Sink::Stdout, Lines::Text)
    }

    fn pick(sink: Sink, lines: Lines) -> LiveView {
        let terminal = match sink {
            Sink::Stdout => std::io::stdout().is_terminal(),
            Sink::Stderr => std::io::stderr().is_terminal(),
        };
        let bar = terminal.then(|| {
            let target = match sink {
                Sink::Stdout => ProgressDrawTarget::stdout(),
                Sink::Stderr => ProgressDrawTarget::stderr(),
            };
            let bar = ProgressBar::with_draw_target(None, target);
            let style = ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        LiveView { bar, lines, sink }
    }

    /// Shows one sample.
    pub fn show(&mut self, s: &Sample) {
        if let Some(bar) = &self.bar {
            bar.set_message(line(s));
            bar.tick();
            return;
        }
        let text = match self.lines {
            Lines::Json => serde_json::to_string(s).unwrap_or_default(),
            Lines::Text => line(s),
        };
        match self.sink {
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{text}");
                let _ = out.flush();
            }
            Sink::Stderr => eprintln!("{text}"),
        }
    }

    /// Leaves the last live line on screen.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

impl Drop for LiveView {
    fn drop(&mut self) {
        self.finish();
    }
}

/// `  12.0 s RUNNING  vus 5  tps 230  avg 20 ms  p90 25 ms  failed 0/2300 (0.00%)  agents 1/1`
pub fn line(s: &Sample) -> String {
    let p90 = s.p90_rt_ms.map_or_else(|| "-".to_string(), |v| format!("{v:.0} ms"));
    format!(
        "{:>6.1} s {:<9} vus {:<4} tps {:<6.0} avg {:.0} ms  p90 {p90}  failed {}/{} ({:.2}%)  agents {}/{}",
        s.elapsed_s,
        s.status,
        s.concurrency,
        s.tps,
        s.avg_rt_ms,
        s.failed_requests,
        s.total_requests,
        s.error_rate() * 100.0,
        s.alive_agents,
        s.total_agents
    )
}
