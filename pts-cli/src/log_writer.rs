//! `--verbose` logs go to stderr through the one redaction step: each formatted event is
//! buffered, redacted as text, then written whole.

use std::io::Write;

/// A `tracing_subscriber` writer factory: one redacted stderr write per event.
pub struct RedactedStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for RedactedStderr {
    type Writer = EventBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        EventBuffer(Vec::new())
    }
}

/// One event's text, redacted and written to stderr when dropped.
pub struct EventBuffer(Vec<u8>);

impl Write for EventBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for EventBuffer {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.0);
        let _ = std::io::stderr()
            .lock()
            .write_all(pts_api::__private::redact::redact_text(&text).as_bytes());
    }
}

/// Debug logs of pts and pts-api on stderr, for `--verbose`. Idempotent.
pub fn init_logging(verbose: bool) {
    if !verbose {
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_writer(RedactedStderr)
        .with_max_level(tracing::Level::DEBUG)
        .with_target(false)
        .without_time()
        .try_init();
}
