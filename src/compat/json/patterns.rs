//! Is every string the writer's `pattern`s match also matched by the reader's? Decided for the
//! regular subset of ECMA-262 patterns (what `jsonschema_regex` translates and `regex-syntax`
//! parses: literals, classes, `^`/`$`, groups, alternation, repetition) by exploring the product
//! of the patterns' automata, built on the fly over Unicode scalar values. Patterns match
//! anywhere in the string (search semantics), as `pattern` does.
//!
//! Lookaheads: a reader `^(?=A)(?=B)C` is the conjunction of `^A`, `^B`, `^C`; a writer's
//! lookarounds are dropped where that cannot be done exactly (a zero-width condition removed
//! only widens the writer, so an inclusion shown still holds). Anything else — backreferences,
//! word boundaries, a reader lookaround inside a group, automata too large — is "cannot decide".

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::collections::VecDeque;

/// The verdict on `writer ⊆ reader`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inclusion {
    Yes,
    /// A string every writer pattern matches and the reader's does not.
    No(String),
    Unknown,
}

/// Product states explored before giving up.
const MAX_STATES: usize = 20_000;
/// NFA states per pattern (large counted repetitions) before giving up.
const MAX_NFA: usize = 20_000;

/// Does every string matching all of `writer` match `reader`?
pub fn includes(writer: &[String], reader: &str) -> Inclusion {
    let mut ws = Vec::new();
    for w in writer {
        let parts = match jsonschema_regex::split_leading_lookaheads(w) {
            Some(parts) => parts,
            None => vec![strip_lookarounds(w)],
        };
        for p in parts {
            // A writer pattern that cannot be read only narrows the writer: leave it out.
            if let Some(n) = Nfa::of(&strip_lookarounds(&p)) {
                ws.push(n);
            }
        }
    }
    let rparts = jsonschema_regex::split_leading_lookaheads(reader)
        .unwrap_or_else(|| vec![reader.to_string()]);
    let mut witness: Option<String> = None;
    for p in rparts {
        let Some(r) = Nfa::of(&p) else {
            return Inclusion::Unknown;
        };
        match product(&ws, &r) {
            Inclusion::Yes => {}
            Inclusion::No(s) => {
                witness.get_or_insert(s);
            }
            Inclusion::Unknown => return Inclusion::Unknown,
        }
    }
    match witness {
        Some(s) => Inclusion::No(s),
        None => Inclusion::Yes,
    }
}

/// Remove lookaround groups (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) from a pattern's text.
fn strip_lookarounds(p: &str) -> String {
    let b: Vec<char> = p.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        if c == '\\' {
            out.push(c);
            if i + 1 < b.len() {
                out.push(b[i + 1]);
            }
            i += 2;
            continue;
        }
        if in_class {
            in_class = c != ']';
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            continue;
        }
        let rest: String = b[i..b.len().min(i + 4)].iter().collect();
        if rest.starts_with("(?=")
            || rest.starts_with("(?!")
            || rest.starts_with("(?<=")
            || rest.starts_with("(?<!")
        {
            // Skip to the matching `)`.
            let mut depth = 0usize;
            let mut cls = false;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    '\\' => j += 1,
                    '[' if !cls => cls = true,
                    ']' if cls => cls = false,
                    '(' if !cls => depth += 1,
                    ')' if !cls => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
            // A quantifier on the removed group goes with it.
            if i < b.len() && matches!(b[i], '?' | '*' | '+') {
                i += 1;
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[derive(Debug, Clone)]
enum St {
    Chars(Vec<(u32, u32)>, usize),
    Split(Vec<usize>),
    Start(usize),
    End(usize),
    Match,
}

struct Nfa {
    states: Vec<St>,
    start: usize,
}

impl Nfa {
    fn of(pattern: &str) -> Option<Nfa> {
        let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(&translated)
            .ok()?;
        let mut n = Nfa {
            states: vec![St::Match],
            start: 0,
        };
        n.start = n.compile(&hir, 0)?;
        Some(n)
    }

    fn push(&mut self, s: St) -> Option<usize> {
        if self.states.len() >= MAX_NFA {
            return None;
        }
        self.states.push(s);
        Some(self.states.len() - 1)
    }

    /// States for `h` followed by state `next`; returns the entry state.
    fn compile(&mut self, h: &Hir, next: usize) -> Option<usize> {
        match h.kind() {
            HirKind::Empty => Some(next),
            HirKind::Literal(l) => {
                let s = std::str::from_utf8(&l.0).ok()?;
                let mut cur = next;
                for c in s.chars().rev() {
                    cur = self.push(St::Chars(vec![(c as u32, c as u32)], cur))?;
                }
                Some(cur)
            }
            HirKind::Class(Class::Unicode(c)) => {
                let r = c
                    .ranges()
                    .iter()
                    .map(|r| (r.start() as u32, r.end() as u32))
                    .collect();
                self.push(St::Chars(r, next))
            }
            HirKind::Class(Class::Bytes(c)) => {
                let r: Vec<(u32, u32)> = c
                    .ranges()
                    .iter()
                    .map(|r| (r.start() as u32, r.end() as u32))
                    .collect();
                if r.iter().any(|&(_, e)| e > 0x7F) {
                    return None;
                }
                self.push(St::Chars(r, next))
            }
            HirKind::Look(Look::Start) => self.push(St::Start(next)),
            HirKind::Look(Look::End) => self.push(St::End(next)),
            HirKind::Look(_) => None,
            HirKind::Capture(c) => self.compile(&c.sub, next),
            HirKind::Concat(hs) => {
                let mut cur = next;
                for h in hs.iter().rev() {
                    cur = self.compile(h, cur)?;
                }
                Some(cur)
            }
            HirKind::Alternation(hs) => {
                let mut outs = Vec::new();
                for h in hs {
                    outs.push(self.compile(h, next)?);
                }
                self.push(St::Split(outs))
            }
            HirKind::Repetition(rep) => {
                if rep.min > 1000 || rep.max.is_some_and(|m| m > 1000) {
                    return None;
                }
                let mut cur = match rep.max {
                    None => {
                        let l = self.push(St::Split(Vec::new()))?;
                        let body = self.compile(&rep.sub, l)?;
                        self.states[l] = St::Split(vec![body, next]);
                        l
                    }
                    Some(max) => {
                        let mut cur = next;
                        for _ in rep.min..max {
                            let body = self.compile(&rep.sub, cur)?;
                            cur = self.push(St::Split(vec![body, next]))?;
                        }
                        cur
                    }
                };
                for _ in 0..rep.min {
                    cur = self.compile(&rep.sub, cur)?;
                }
                Some(cur)
            }
        }
    }

    /// The states reached from `seeds` without reading a character (`Start` only at the
    /// beginning, `End` only at the end); whether `Match` is among them.
    fn close(&self, seeds: &[usize], at_start: bool, at_end: bool) -> (Vec<usize>, bool) {
        let mut seen = HashSet::new();
        let mut stack: Vec<usize> = seeds.to_vec();
        let mut out = Vec::new();
        let mut matched = false;
        while let Some(s) = stack.pop() {
            if !seen.insert(s) {
                continue;
            }
            match &self.states[s] {
                St::Match => matched = true,
                St::Chars(..) => out.push(s),
                St::Split(v) => stack.extend(v.iter().copied()),
                St::Start(n) => {
                    if at_start {
                        stack.push(*n);
                    }
                }
                St::End(n) => {
                    if at_end {
                        stack.push(*n);
                    } else {
                        out.push(s);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        (out, matched)
    }
}

/// One pattern's search state after some prefix: matched already, or the live NFA states.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Cfg {
    Matched,
    Live(Vec<usize>),
}

fn initial(n: &Nfa) -> Cfg {
    let (set, m) = n.close(&[n.start], true, false);
    if m { Cfg::Matched } else { Cfg::Live(set) }
}

fn step(n: &Nfa, c: &Cfg, ch: u32) -> Cfg {
    let Cfg::Live(set) = c else {
        return Cfg::Matched;
    };
    let mut seeds = vec![n.start];
    for &s in set {
        if let St::Chars(rs, next) = &n.states[s]
            && rs.iter().any(|&(a, b)| a <= ch && ch <= b)
        {
            seeds.push(*next);
        }
    }
    let (set, m) = n.close(&seeds, false, false);
    if m { Cfg::Matched } else { Cfg::Live(set) }
}

fn accepts_at_end(n: &Nfa, c: &Cfg, at_start: bool) -> bool {
    match c {
        Cfg::Matched => true,
        Cfg::Live(set) => {
            let seeds: Vec<usize> = set
                .iter()
                .filter_map(|&s| match n.states[s] {
                    St::End(next) => Some(next),
                    _ => None,
                })
                .collect();
            n.close(&seeds, at_start, true).1
        }
    }
}

/// Breadth-first search of the product for a string all of `ws` match and `r` does not.
fn product(ws: &[Nfa], r: &Nfa) -> Inclusion {
    // The flag: nothing read yet (where `^` still holds).
    type Key = (Vec<Cfg>, Cfg, bool);
    let start: Key = (ws.iter().map(initial).collect(), initial(r), true);
    let mut parent: HashMap<Key, Option<(Key, char)>> = HashMap::new();
    parent.insert(start.clone(), None);
    let mut queue = VecDeque::from([start.clone()]);
    while let Some(key) = queue.pop_front() {
        let (wc, rc, first) = &key;
        let first = *first;
        if *rc == Cfg::Matched {
            continue;
        }
        if ws.iter().zip(wc).all(|(n, c)| accepts_at_end(n, c, first))
            && !accepts_at_end(r, rc, first)
        {
            let mut s = Vec::new();
            let mut k = &key;
            while let Some(Some((p, ch))) = parent.get(k) {
                s.push(*ch);
                k = p;
            }
            s.reverse();
            return Inclusion::No(s.into_iter().collect());
        }
        for ch in alphabet(ws, wc, r, rc) {
            let next: Key = (
                ws.iter()
                    .zip(wc)
                    .map(|(n, c)| step(n, c, ch as u32))
                    .collect(),
                step(r, rc, ch as u32),
                false,
            );
            if parent.contains_key(&next) {
                continue;
            }
            if parent.len() >= MAX_STATES {
                return Inclusion::Unknown;
            }
            parent.insert(next.clone(), Some((key.clone(), ch)));
            queue.push_back(next);
        }
    }
    Inclusion::Yes
}

/// One representative character per class of characters every live state treats alike.
fn alphabet(ws: &[Nfa], wc: &[Cfg], r: &Nfa, rc: &Cfg) -> Vec<char> {
    let mut cuts: Vec<u32> = vec![0, 0x11_0000];
    let mut add = |n: &Nfa, c: &Cfg| {
        let mut states: Vec<usize> = match c {
            Cfg::Live(s) => s.clone(),
            Cfg::Matched => Vec::new(),
        };
        // The search restarts at every position: the start's first characters count too.
        states.extend(n.close(&[n.start], false, false).0);
        for s in states {
            if let St::Chars(rs, _) = &n.states[s] {
                for &(a, b) in rs {
                    cuts.push(a);
                    cuts.push(b + 1);
                }
            }
        }
    };
    for (n, c) in ws.iter().zip(wc) {
        add(n, c);
    }
    add(r, rc);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let pick = "a0A_-. /:"
            .chars()
            .map(|c| c as u32)
            .find(|&c| lo <= c && c < hi)
            .or_else(|| (lo..hi).find(|&c| char::from_u32(c).is_some()));
        if let Some(c) = pick.and_then(char::from_u32) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inc(w: &[&str], r: &str) -> Inclusion {
        let w: Vec<String> = w.iter().map(|s| s.to_string()).collect();
        includes(&w, r)
    }

    fn no(w: &[&str], r: &str) -> String {
        match inc(w, r) {
            Inclusion::No(s) => {
                for p in w {
                    assert!(fancy_regex::Regex::new(p).unwrap().is_match(&s).unwrap());
                }
                assert!(!fancy_regex::Regex::new(r).unwrap().is_match(&s).unwrap());
                s
            }
            other => panic!("{w:?} / {r}: {other:?}"),
        }
    }

    #[test]
    fn widenings_are_shown() {
        assert_eq!(
            inc(&["^[a-z]+$"], "^[a-z]+"),
            Inclusion::Yes,
            "anchor dropped"
        );
        assert_eq!(inc(&["^[a-z]+$"], "[a-z]"), Inclusion::Yes);
        assert_eq!(inc(&["^(foo|bar)$"], "^(foo|bar|baz)$"), Inclusion::Yes);
        assert_eq!(inc(&["^[a-c]{2,3}$"], "^[a-z]{1,5}$"), Inclusion::Yes);
        assert_eq!(inc(&["^\\d+$"], "^[0-9]*$"), Inclusion::Yes);
        assert_eq!(
            inc(&["^(?=.*x)[a-z]+$"], "^[a-z]+$"),
            Inclusion::Yes,
            "lookahead removed"
        );
        assert_eq!(inc(&["^v[0-9]+\\.[0-9]+$"], "^v"), Inclusion::Yes);
        assert_eq!(inc(&[], ""), Inclusion::Yes);
        assert_eq!(inc(&["é+"], "[^a]"), Inclusion::Yes);
    }

    #[test]
    fn narrowings_come_with_a_string() {
        assert_eq!(no(&["^[a-z]+"], "^[a-z]+$"), "a0");
        no(&["^(foo|bar|baz)$"], "^(foo|bar)$");
        no(&["^Ctrl\\+[A-Z]+$"], "^Ctrl\\+[A-Z]$");
        no(&[], "^a");
        no(&["x"], "^x");
        no(&["[^a]"], "^[a-z]*$");
    }

    #[test]
    fn what_is_not_regular_is_unknown() {
        assert_eq!(inc(&["^a$"], "^(a)\\1$"), Inclusion::Unknown);
        assert_eq!(inc(&["^a$"], "\\bfoo"), Inclusion::Unknown);
        assert_eq!(inc(&["^a$"], "a(?=b)"), Inclusion::Unknown);
    }
}
