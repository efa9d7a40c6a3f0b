//! Ctrl-C/SIGTERM as a flag that stays set: a watch and the steps around it share one
//! listener, so a signal that arrives between two steps is not lost.

use tokio::sync::watch;

/// Set once Ctrl-C or SIGTERM arrived after [`Interrupt::listen`].
#[derive(Debug, Clone)]
pub struct Interrupt {
    rx: watch::Receiver<bool>,
    /// Keeps the channel open for [`Interrupt::never`].
    _sender: Option<std::sync::Arc<watch::Sender<bool>>>,
}

impl Interrupt {
    /// Starts listening now. Must be called inside a tokio runtime; the listener is
    /// registered before this returns, so no signal after it is missed.
    pub fn listen() -> Interrupt {
        let (tx, rx) = watch::channel(false);
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let int = signal(SignalKind::interrupt());
            let term = signal(SignalKind::terminate());
            if let (Ok(mut int), Ok(mut term)) = (int, term) {
                tokio::spawn(async move {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                    let _ = tx.send(true);
                });
                return Interrupt { rx, _sender: None };
            }
        }
        tokio::spawn(async move {
            crate::signals::shutdown().await;
            let _ = tx.send(true);
        });
        Interrupt { rx, _sender: None }
    }

    /// A flag no signal sets (library callers that handle signals themselves).
    pub fn never() -> Interrupt {
        let (tx, rx) = watch::channel(false);
        Interrupt { rx, _sender: Some(std::sync::Arc::new(tx)) }
    }

    pub fn is_set(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once the flag is set (at once if it already is).
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|set| *set).await.is_err() {
            // The listener is gone (runtime shutting down): never resolve.
            std::future::pending::<()>().await;
        }
    }
}
