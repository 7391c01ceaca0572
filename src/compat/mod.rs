//! Compatibility modes and the pairs they generate. A mode is only a generator of (reader, writer)
//! pairs; the engines (`avro`, `json`) never know which mode asked. Both report each reason a
//! reader cannot read a writer's data as a `finding::Draft`: at the reader's place, the writer's
//! as its other place.

pub mod avro;
pub mod json;

use crate::finding::Direction;
use std::fmt;
use std::str::FromStr;

/// The names a finding's message gives the two sides of a pair (`v2` and `v1`, or the file names
/// `evreg compat` was given). The engines build every message with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels<'a> {
    pub reader: &'a str,
    pub writer: &'a str,
}

impl Labels<'static> {
    /// The sides by their roles, for callers that name no versions.
    pub const ROLES: Labels<'static> = Labels {
        reader: "the reader",
        writer: "the writer",
    };
}

/// The modes as Confluent Schema Registry defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::None,
        Mode::Backward,
        Mode::BackwardTransitive,
        Mode::Forward,
        Mode::ForwardTransitive,
        Mode::Full,
        Mode::FullTransitive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::None => "NONE",
            Mode::Backward => "BACKWARD",
            Mode::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Mode::Forward => "FORWARD",
            Mode::ForwardTransitive => "FORWARD_TRANSITIVE",
            Mode::Full => "FULL",
            Mode::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    pub fn transitive(self) -> bool {
        matches!(
            self,
            Mode::BackwardTransitive | Mode::ForwardTransitive | Mode::FullTransitive
        )
    }

    pub fn directions(self) -> &'static [Direction] {
        match self {
            Mode::None => &[],
            Mode::Backward | Mode::BackwardTransitive => &[Direction::Backward],
            Mode::Forward | Mode::ForwardTransitive => &[Direction::Forward],
            Mode::Full | Mode::FullTransitive => &[Direction::Backward, Direction::Forward],
        }
    }

    /// The pairs that must hold when `new` joins a subject whose earlier versions are `1..new`.
    pub fn pairs(self, new: u32) -> Vec<Pair> {
        let olds: Vec<u32> = if self.transitive() {
            (1..new).rev().collect()
        } else if new > 1 {
            vec![new - 1]
        } else {
            vec![]
        };
        let mut out = Vec::new();
        for old in olds {
            for &direction in self.directions() {
                out.push(Pair {
                    new,
                    old,
                    direction,
                });
            }
        }
        out
    }

    /// How strict a mode is, for comparing two (`FULL_TRANSITIVE` promises the most).
    pub fn promises(self) -> (bool, bool, bool) {
        let d = self.directions();
        (
            d.contains(&Direction::Backward),
            d.contains(&Direction::Forward),
            self.transitive(),
        )
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    /// Case-insensitive; `-` and `_` are interchangeable.
    fn from_str(s: &str) -> Result<Mode, String> {
        let norm = s.trim().to_ascii_uppercase().replace('-', "_");
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == norm)
            .ok_or_else(|| {
                let names: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
                format!(
                    "unknown compatibility mode `{s}`; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// One check a mode asks for: in `Backward` the new version reads the old one's data, in
/// `Forward` the old version reads the new one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub new: u32,
    pub old: u32,
    pub direction: Direction,
}

impl Pair {
    /// (reader, writer) version numbers.
    pub fn reader_writer(self) -> (u32, u32) {
        match self.direction {
            Direction::Backward => (self.new, self.old),
            Direction::Forward => (self.old, self.new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_case_insensitively() {
        assert_eq!("full_transitive".parse::<Mode>(), Ok(Mode::FullTransitive));
        assert_eq!(
            "Backward-Transitive".parse::<Mode>(),
            Ok(Mode::BackwardTransitive)
        );
        assert!("sideways".parse::<Mode>().is_err());
    }

    #[test]
    fn pairs_follow_the_mode() {
        assert_eq!(
            Mode::Backward.pairs(3),
            vec![Pair {
                new: 3,
                old: 2,
                direction: Direction::Backward
            }]
        );
        assert_eq!(Mode::ForwardTransitive.pairs(3).len(), 2);
        assert_eq!(Mode::FullTransitive.pairs(4).len(), 6);
        assert!(Mode::None.pairs(5).is_empty());
        assert!(Mode::Full.pairs(1).is_empty());
        let p = Mode::Forward.pairs(2)[0];
        assert_eq!(p.reader_writer(), (1, 2));
    }
}
