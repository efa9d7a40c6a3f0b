//! TLS for `https://` targets (rustls with ring): certificates are verified against the
//! system's roots plus the service's extra CA files (`pts local serve --ca-file`).
//!
//! One `ClientConfig` per run, built on first use and shared by every worker and connection,
//! so its session cache resumes TLS sessions across reconnects. The server name (SNI and
//! certificate check) is the URL's host, also when a domain binding sends the connection to
//! another address.

use super::error::EngineError;
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// The TLS client of one run.
pub(crate) struct Tls {
    ca_files: Vec<PathBuf>,
    connector: OnceLock<Result<TlsConnector, String>>,
}

impl Tls {
    pub(crate) fn new(ca_files: &[PathBuf]) -> Self {
        Tls { ca_files: ca_files.to_vec(), connector: OnceLock::new() }
    }

    /// The run's connector, built once (system roots + CA files).
    pub(crate) fn connector(&self) -> Result<&TlsConnector, &str> {
        self.connector.get_or_init(|| build(&self.ca_files)).as_ref().map_err(String::as_str)
    }

    /// Builds the connector now, so that a bad CA file refuses the run before it starts.
    pub(crate) fn precheck(&self) -> Result<(), EngineError> {
        self.connector().map(|_| ()).map_err(|e| EngineError::Tls(e.to_string()))
    }
}

fn read_ca_file(path: &Path, roots: &mut RootCertStore) -> Result<(), String> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|e| format!("CA file {shown}: {e}"))?;
    let mut n = 0;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("CA file {shown}: {e}"))?;
        roots.add(cert).map_err(|e| format!("CA file {shown}: {e}"))?;
        n += 1;
    }
    if n == 0 {
        return Err(format!("CA file {shown}: no PEM certificate in it"));
    }
    Ok(())
}

fn build(ca_files: &[PathBuf]) -> Result<TlsConnector, String> {
    let mut roots = RootCertStore::empty();
    // Unreadable system certificates are skipped: the CA files may be all a run needs.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    for f in ca_files {
        read_ca_file(f, &mut roots)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// The name a certificate must carry for `host` (a DNS name or an IP address).
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_string())
        .map_err(|e| format!("`{host}` is not a TLS server name: {e}"))
}

/// A connection's byte stream: plain TCP or TLS over TCP.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
