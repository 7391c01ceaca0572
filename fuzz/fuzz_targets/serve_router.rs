//! The Schema Registry API router (`evreg serve`): any method, path, query and body against the
//! test registry served writable. Never panics; every answer is JSON with a status from 200 to
//! 599, and every error is a `{"error_code", "message"}` body.
#![no_main]
use arbitrary::Arbitrary;
use evreg::remote::router::{Request, handle};
use evreg::remote::state::State;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static STATE: LazyLock<State> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/remote");
    let reg = evreg::Registry::load(&dir).expect("the remote test registry loads");
    State::build(&reg, true).expect("the remote test registry is servable")
});

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    method: u8,
    path: &'a str,
    query: &'a str,
    body: &'a [u8],
}

fuzz_target!(|input: Input| {
    let req = Request {
        method: METHODS[input.method as usize % METHODS.len()],
        path: input.path,
        query: input.query,
        body: input.body,
    };
    let (resp, change) = handle(&STATE, &req);
    assert!((200..600).contains(&resp.status), "{resp:?}");
    if resp.status >= 400 {
        let v: serde_json::Value = serde_json::from_str(&resp.body).expect("error bodies are JSON");
        assert!(v["error_code"].is_u64() && v["message"].is_string(), "{resp:?}");
        assert!(change.is_none());
    }
    // An accepted change applies.
    if let Some(c) = change {
        let _ = STATE.apply(&c);
    }
});
