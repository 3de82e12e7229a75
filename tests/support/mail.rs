//! A real SMTP server on loopback for the email alerts: aiosmtpd from Debian
//! (`python3-aiosmtpd`, run by Debian's own Python), requiring STARTTLS with a certificate
//! signed by a test CA and a login, and keeping every message it accepts as a file.

use super::network::{Daemon, TestCa};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const SERVER: &str = r#"
import os, ssl, sys, threading, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, outdir, user, password = sys.argv[1:7]

class Keep:
    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(outdir, "%d.eml" % time.time_ns())
        login = session.auth_data.login.decode() if session.auth_data else "-"
        with open(name + ".part", "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            f.write(("X-Auth-User: %s\r\n" % login).encode())
            f.write(("X-Tls: %s\r\n" % ("yes" if session.ssl else "no")).encode())
            f.write(envelope.original_content)
        os.rename(name + ".part", name)
        return "250 OK"

def check(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == user.encode() and auth_data.password == password.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Keep(), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=True, authenticator=check, auth_required=True,
                        auth_require_tls=True)
controller.start()
print("listening", flush=True)
threading.Event().wait()
"#;

/// The SMTP server and the messages it kept.
pub struct SmtpServer {
    pub daemon: Daemon,
    outbox: tempfile::TempDir,
}

impl SmtpServer {
    /// A server whose certificate `ca` signed, accepting `user` with `password`.
    pub fn start(ca: &TestCa, user: &str, password: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cb-smtp-")
            .tempdir()
            .unwrap();
        let outbox = tempfile::Builder::new()
            .prefix("cb-mail-")
            .tempdir()
            .unwrap();
        let script = dir.path().join("server.py");
        std::fs::write(&script, SERVER).unwrap();
        let (cert, key) = ca.server_cert();
        let (out, user, password) = (
            outbox.path().to_owned(),
            user.to_owned(),
            password.to_owned(),
        );
        let daemon = Daemon::start(dir, "aiosmtpd", move |port| {
            let mut cmd = Command::new("/usr/bin/python3");
            cmd.arg(&script)
                .arg(port.to_string())
                .args([&cert, &key, &out])
                .args([&user, &password]);
            cmd
        });
        Self { daemon, outbox }
    }

    /// The messages accepted so far, oldest first, headers and body as received.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.outbox.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }

    /// Waits until `count` messages have arrived.
    pub fn wait_for(&self, count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} messages arrived; the server said: {}",
                messages.len(),
                self.daemon.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
