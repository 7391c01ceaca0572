//! `evreg serve`: HTTP/1.1 around [`super::router::handle`]. Everything this file does is
//! transport: bind, read bounded bodies, log one line per request, swap in a new state on
//! reload or accepted registration, shut down gracefully. The API itself is the router's.

use super::router::{self, Request};
use super::state::{Change, State};
use super::wire::{CONTENT_TYPE, ErrorBody, code};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How the server runs.
pub struct Options {
    pub listen: String,
    pub writable: bool,
    /// The largest request body accepted (413 beyond).
    pub max_body: usize,
    /// How often the registry's files are looked at for changes (reload when they changed).
    pub poll: Duration,
}

/// The state being served, and what `--writable` accepted since the files were read (applied
/// again after each reload).
struct Shared {
    state: Mutex<Arc<State>>,
    accepted: Mutex<Vec<Change>>,
    writable: bool,
    root: PathBuf,
    load: Box<dyn Fn() -> Result<crate::registry::Registry, String> + Send + Sync>,
}

impl Shared {
    fn current(&self) -> Arc<State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn reload(&self, why: &str) {
        let started = Instant::now();
        let built = (self.load)().and_then(|reg| State::build(&reg, self.writable));
        match built {
            Ok(mut state) => {
                for c in self
                    .accepted
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .iter()
                {
                    state = state.apply(c);
                }
                for w in &state.warnings {
                    eprintln!("evreg serve: warning: {w}");
                }
                eprintln!(
                    "evreg serve: reloaded ({why}): {} subjects in {:.0} ms",
                    state.subjects.len(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
                *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(state);
            }
            Err(e) => eprintln!(
                "evreg serve: reload ({why}) failed, still serving the previous state: {e}"
            ),
        }
    }

    /// Route one request; an accepted change replaces the state before the next request is
    /// routed (the runtime has one thread, and this holds no await point).
    fn answer(&self, req: &Request) -> router::Response {
        let state = self.current();
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| router::handle(&state, req)));
        match outcome {
            Ok((resp, change)) => {
                if let Some(change) = change {
                    let next = self.current().apply(&change);
                    *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
                    self.accepted
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(change);
                }
                resp
            }
            Err(_) => error(
                500,
                code::STORE_ERROR,
                "internal error while answering this request",
            ),
        }
    }
}

fn error(status: u16, error_code: u32, message: &str) -> router::Response {
    router::Response {
        status,
        body: serde_json::to_string(&ErrorBody {
            error_code,
            message: message.into(),
        })
        .unwrap_or_default(),
    }
}

/// Serve until Ctrl-C or SIGTERM. `load` reads the registry (at start and on each reload).
/// Prints `listening on http://ADDR` on stdout once bound.
pub fn run(
    options: Options,
    root: &Path,
    load: Box<dyn Fn() -> Result<crate::registry::Registry, String> + Send + Sync>,
) -> Result<(), String> {
    let reg = load()?;
    let state = State::build(&reg, options.writable)?;
    for w in &state.warnings {
        eprintln!("evreg serve: warning: {w}");
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(Arc::new(state)),
        accepted: Mutex::new(Vec::new()),
        writable: options.writable,
        root: root.to_path_buf(),
        load,
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, serve(options, shared))
}

async fn serve(options: Options, shared: Arc<Shared>) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "evreg serve: listening on http://{addr} ({}, {} subjects)",
            if options.writable {
                "writable in memory"
            } else {
                "read-only"
            },
            shared.current().subjects.len()
        );
        let _ = out.flush();
    }
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut terminate = Signal::terminate()?;
    let mut hangup = Signal::hangup()?;
    let mut poll = tokio::time::interval(options.poll);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stamp = files_stamp(&shared.root);
    let max_body = options.max_body;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                let service = service_fn(move |req| {
                    let shared = shared.clone();
                    async move { Ok::<_, std::convert::Infallible>(respond(&shared, req, max_body).await) }
                });
                let conn = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(30))
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::task::spawn_local(async move {
                    let _ = conn.await;
                });
            }
            _ = tokio::signal::ctrl_c() => break,
            _ = terminate.recv() => break,
            _ = hangup.recv() => {
                stamp = files_stamp(&shared.root);
                shared.reload("SIGHUP");
            }
            _ = poll.tick() => {
                let now = files_stamp(&shared.root);
                if now != stamp {
                    stamp = now;
                    shared.reload("files changed");
                }
            }
        }
    }
    eprintln!("evreg serve: shutting down (finishing open requests, at most 10 s)");
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

/// A Unix signal to wait for: SIGTERM ends the server, SIGHUP reloads the registry (Ctrl-C
/// ends it everywhere). Elsewhere it never arrives.
struct Signal(#[cfg(unix)] tokio::signal::unix::Signal);

impl Signal {
    #[cfg(unix)]
    fn terminate() -> Result<Signal, String> {
        Signal::of(tokio::signal::unix::SignalKind::terminate())
    }
    #[cfg(unix)]
    fn hangup() -> Result<Signal, String> {
        Signal::of(tokio::signal::unix::SignalKind::hangup())
    }
    #[cfg(unix)]
    fn of(kind: tokio::signal::unix::SignalKind) -> Result<Signal, String> {
        tokio::signal::unix::signal(kind)
            .map(Signal)
            .map_err(|e| format!("cannot listen for signals: {e}"))
    }
    #[cfg(unix)]
    async fn recv(&mut self) {
        self.0.recv().await;
    }
    #[cfg(not(unix))]
    fn terminate() -> Result<Signal, String> {
        Ok(Signal())
    }
    #[cfg(not(unix))]
    fn hangup() -> Result<Signal, String> {
        Ok(Signal())
    }
    #[cfg(not(unix))]
    async fn recv(&mut self) {
        std::future::pending::<()>().await
    }
}

async fn respond(
    shared: &Shared,
    req: hyper::Request<Incoming>,
    max_body: usize,
) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let declared = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        error(
            413,
            413,
            &format!("Request body larger than {max_body} bytes"),
        )
    };
    let resp = if declared.is_some_and(|n| n > max_body as u64) {
        too_large()
    } else {
        match Limited::new(req.into_body(), max_body).collect().await {
            Ok(body) => {
                let body = body.to_bytes();
                shared.answer(&Request {
                    method: &method,
                    path: &path,
                    query: &query,
                    body: &body,
                })
            }
            Err(e)
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some() =>
            {
                too_large()
            }
            Err(_) => error(400, 400, "Could not read the request body"),
        }
    };
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    eprintln!(
        "{method} {path}{q} {} {}B {:.2}ms",
        resp.status,
        resp.body.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut out = hyper::Response::new(Full::new(Bytes::from(resp.body)));
    *out.status_mut() = hyper::StatusCode::from_u16(resp.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    out.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(CONTENT_TYPE),
    );
    out
}

/// Names, sizes and modification times of the files a registry is read from: when it changes,
/// the registry is read again.
fn files_stamp(root: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![
        root.join(crate::registry::CONFIG_FILE),
        root.join(crate::registry::lock::LOCK_FILE),
        root.join(crate::registry::SCHEMAS_DIR),
    ];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir()
            && let Ok(entries) = std::fs::read_dir(&p)
        {
            stack.extend(entries.flatten().map(|e| e.path()));
        }
        out.push((p, meta.len(), meta.modified().ok()));
    }
    out.sort();
    out
}
