//! An endpoint that accepts connections and never answers: a TCP listener on loopback whose
//! accepted connections are held open, never read from or written to. What a firewall that
//! swallows packets, or a wedged proxy, looks like to a client.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A silent endpoint; it lives as long as the test process (its thread blocks in `accept`).
pub struct Silent {
    pub port: u16,
    accepted: Receiver<()>,
}

impl Silent {
    pub fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, accepted) = channel();
        std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
                let _ = tx.send(());
            }
        });
        Silent { port, accepted }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until a client has connected (up to `within`); false when none did.
    pub fn wait_for_client(&self, within: Duration) -> bool {
        self.accepted.recv_timeout(within).is_ok()
    }
}

/// Waits for `child` to end, up to `within`: its status and how long it took, or a panic (the
/// child killed first) saying it was still running.
pub fn wait_within(child: &mut Child, within: Duration, what: &str) -> (ExitStatus, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, started.elapsed());
        }
        if started.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {within:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
