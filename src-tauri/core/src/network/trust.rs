//! Which certificate authorities are trusted: the machine's own store (on Linux the system
//! bundle, or `SSL_CERT_FILE`/`SSL_CERT_DIR` as OpenSSL and curl read them; the Keychain on
//! macOS; the Windows certificate store), the bundled Mozilla roots only where that store is
//! empty, and the user's `ca_file`. It is loaded once per HTTP client, never per request.
//!
//! rustls's own verifier does the checking; the thin wrapper here only remembers each
//! server's issuer (for "Test connection") and, when the issuer is not trusted, names it, so
//! the user can tell a company's TLS-inspecting proxy from an attack and knows what to install.

use parking_lot::Mutex;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// Why the trusted authorities could not be loaded.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum TrustError {
    #[error("the CA file {} cannot be read ({detail})", path.display())]
    CaFileUnreadable { path: PathBuf, detail: String },
    #[error("the CA file {} holds no PEM certificate", path.display())]
    CaFileEmpty { path: PathBuf },
    #[error("the CA file {} holds a certificate that cannot be used ({detail})", path.display())]
    CaFileInvalid { path: PathBuf, detail: String },
}

/// The certificate authorities one HTTP client trusts.
#[derive(Debug, Clone)]
pub struct TrustStore {
    roots: Arc<RootCertStore>,
    /// What they are, for status lines: "the system's trust store and /etc/company-ca.pem (1)".
    pub summary: String,
}

impl TrustStore {
    /// The machine's store (or the bundled roots where it has none) and `ca_file`'s
    /// certificates.
    pub fn load(ca_file: Option<&Path>) -> Result<Self, TrustError> {
        let mut roots = RootCertStore::empty();
        // Named before loading: the loader may set these variables to what it found.
        let store_name = system_store_name();
        let native = rustls_native_certs::load_native_certs();
        for e in &native.errors {
            tracing::debug!(error = %e, "part of the system's trust store could not be read");
        }
        let (added, _ignored) = roots.add_parsable_certificates(native.certs);
        let mut summary = if added > 0 {
            store_name
        } else {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            "the bundled Mozilla roots (the system's trust store is empty)".to_owned()
        };
        if let Some(path) = ca_file {
            let count = add_ca_file(&mut roots, path)?;
            summary.push_str(&format!(" and {} ({count})", path.display()));
        }
        Ok(Self {
            roots: Arc::new(roots),
            summary,
        })
    }

    /// How many certificates the CA file `path` holds, or why it cannot be used; reads that
    /// file alone (for a settings form, before anything is saved).
    pub fn check_ca_file(path: &Path) -> Result<usize, TrustError> {
        add_ca_file(&mut RootCertStore::empty(), path)
    }

    /// A TLS configuration verifying against these authorities, noting each server's
    /// issuer in `log`.
    pub fn client_config(&self, log: IssuerLog) -> Result<rustls::ClientConfig, rustls::Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let inner =
            WebPkiServerVerifier::builder_with_provider(self.roots.clone(), provider.clone())
                .build()
                .map_err(|e| rustls::Error::General(e.to_string()))?;
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NamingVerifier { inner, log }))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// The machine's store in words, naming the variable that points elsewhere if one does.
fn system_store_name() -> String {
    for var in ["SSL_CERT_FILE", "SSL_CERT_DIR"] {
        if let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            return format!(
                "the trust store {var} names ({})",
                Path::new(&path).display()
            );
        }
    }
    "the system's trust store".to_owned()
}

fn add_ca_file(roots: &mut RootCertStore, path: &Path) -> Result<usize, TrustError> {
    let bytes = std::fs::read(path).map_err(|e| TrustError::CaFileUnreadable {
        path: path.to_owned(),
        detail: e.to_string(),
    })?;
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| TrustError::CaFileInvalid {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        roots.add(cert).map_err(|e| TrustError::CaFileInvalid {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        count += 1;
    }
    if count == 0 {
        return Err(TrustError::CaFileEmpty {
            path: path.to_owned(),
        });
    }
    Ok(count)
}

/// The issuer of each server's certificate, as last verified.
#[derive(Debug, Clone, Default)]
pub struct IssuerLog(Arc<Mutex<HashMap<String, String>>>);

impl IssuerLog {
    /// Who signed `host`'s certificate, once a connection to it has been made.
    pub fn issuer(&self, host: &str) -> Option<String> {
        self.0.lock().get(host).cloned()
    }

    fn note(&self, host: String, issuer: String) {
        self.0.lock().insert(host, issuer);
    }
}

/// A server's certificate chains up to an authority this machine does not trust.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("its certificate is signed by {issuer:?}, which this machine does not trust")]
pub struct UntrustedIssuer {
    /// The name of the authority that would have to be trusted (its common name, or the
    /// whole distinguished name when it has none).
    pub issuer: String,
    /// The certificate is its own issuer.
    pub self_signed: bool,
}

#[derive(Debug)]
struct NamingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    log: IssuerLog,
}

impl ServerCertVerifier for NamingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The top of the chain the server sent: its issuer is the authority to trust.
        let top = intermediates.last().unwrap_or(end_entity);
        let issuer = issuer_of(top);
        let verified = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match verified {
            Ok(ok) => {
                if let Some(found) = issuer {
                    self.log.note(host_of(server_name), found.issuer);
                }
                Ok(ok)
            }
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)) => match issuer
            {
                Some(found) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                    rustls::OtherError(Arc::new(found)),
                ))),
                None => Err(rustls::Error::InvalidCertificate(
                    CertificateError::UnknownIssuer,
                )),
            },
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn host_of(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(dns) => dns.as_ref().to_owned(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => String::new(),
    }
}

/// The issuer's name of a DER certificate, and whether it signed itself.
fn issuer_of(der: &CertificateDer<'_>) -> Option<UntrustedIssuer> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let issuer = cert.issuer();
    let name = issuer
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| issuer.to_string());
    Some(UntrustedIssuer {
        issuer: name,
        self_signed: issuer.as_raw() == cert.subject().as_raw(),
    })
}

/// The untrusted issuer behind a failed connection, if that is why it failed: the error
/// the verifier above gave, found anywhere in the error's chain of causes.
pub fn untrusted_issuer(e: &(dyn std::error::Error + 'static)) -> Option<UntrustedIssuer> {
    let mut current = Some(e);
    while let Some(err) = current {
        // An I/O error's `source()` skips the error it wraps, so those are opened by hand.
        let mut candidate = Some(err);
        while let Some(c) = candidate {
            if let Some(rustls::Error::InvalidCertificate(CertificateError::Other(other))) =
                c.downcast_ref::<rustls::Error>()
            {
                if let Some(found) = other.0.downcast_ref::<UntrustedIssuer>() {
                    return Some(found.clone());
                }
            }
            candidate = c
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|inner| inner as &(dyn std::error::Error + 'static));
        }
        current = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        assert!(matches!(
            TrustStore::load(Some(&missing)),
            Err(TrustError::CaFileUnreadable { .. })
        ));
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        assert!(matches!(
            TrustStore::load(Some(&empty)),
            Err(TrustError::CaFileEmpty { .. })
        ));
    }

    #[test]
    fn the_system_store_is_loaded() {
        let store = TrustStore::load(None).unwrap();
        assert!(!store.roots.is_empty());
        assert!(store.client_config(IssuerLog::default()).is_ok());
    }
}
