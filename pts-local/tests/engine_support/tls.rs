//! TLS for the test target: a certificate authority and a server certificate made in the test
//! (rcgen), and the server side of the handshake (rustls, blocking).

use super::{Handler, Sink, serve};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

/// A CA (its certificate as PEM, for the engine to trust) and a server configuration whose
/// certificate it signed.
pub struct TestCa {
    pub ca_pem: String,
    pub server: Arc<rustls::ServerConfig>,
}

/// One TLS handshake as the target saw it.
#[derive(Debug, Clone)]
pub struct Handshake {
    /// The server name the client sent (SNI); none for an IP address.
    pub sni: Option<String>,
    /// The session was resumed (no full handshake).
    pub resumed: bool,
}

impl TestCa {
    /// A fresh CA and a server certificate for `names` (DNS names or IP addresses).
    pub fn new(names: &[&str]) -> TestCa {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "pts-local test CA");
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let cert = CertificateParams::new(names).unwrap().signed_by(&key, &issuer).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();
        TestCa { ca_pem: ca_cert.pem(), server: Arc::new(server) }
    }

    /// Writes the CA certificate into `dir` and returns the file's path.
    pub fn write_ca(&self, dir: &std::path::Path) -> std::path::PathBuf {
        let p = dir.join("ca.pem");
        std::fs::write(&p, &self.ca_pem).unwrap();
        p
    }
}

/// Completes the server handshake (recording it), then serves the connection.
pub(super) fn serve_tls(
    mut sock: TcpStream,
    config: Arc<rustls::ServerConfig>,
    log: &Mutex<Vec<Handshake>>,
    h: Handler,
    sink: Sink,
) -> std::io::Result<()> {
    let mut conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock)?;
    }
    log.lock().unwrap().push(Handshake {
        sni: conn.server_name().map(str::to_string),
        resumed: conn.handshake_kind() == Some(rustls::HandshakeKind::Resumed),
    });
    let raw = sock.try_clone()?;
    serve(rustls::StreamOwned::new(conn, sock), &raw, h, sink)
}
