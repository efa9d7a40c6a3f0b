//! Progress on stderr while pts waits: a spinner with a message and the elapsed time. It
//! shows only when stderr is a terminal, only once the wait has lasted a second, and never
//! with `--quiet`; pipes and CI logs stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// How long a wait runs before its spinner appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// `--quiet` for the whole process (set once from the parsed command line).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A running wait's indicator; cleared when dropped (also on an error or Ctrl-C).
pub struct Waiting {
    bar: ProgressBar,
    /// `true` once dropped: the timer must not show a finished bar.
    done: Arc<Mutex<bool>>,
}

impl Waiting {
    pub fn new(message: impl Into<String>) -> Waiting {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.into());
        let done = Arc::new(Mutex::new(false));
        if !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal() {
            let (bar, done) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(SHOW_AFTER);
                let done = done.lock().unwrap_or_else(|e| e.into_inner());
                if !*done {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Waiting { bar, done }
    }

    /// What is being waited for now (e.g. the page count of a listing).
    pub fn set_message(&self, message: impl Into<String>) {
        self.bar.set_message(message.into());
    }

    /// Takes the indicator off the screen for good (also done when dropped, e.g. on Ctrl-C).
    pub fn clear(&self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        self.bar.finish_and_clear();
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Awaits `fut` with a [`Waiting`] indicator saying `message`.
pub async fn during<F: Future>(message: impl Into<String>, fut: F) -> F::Output {
    let _shown = Waiting::new(message);
    fut.await
}
