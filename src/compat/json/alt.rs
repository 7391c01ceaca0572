//! `Alt`: one set of writer instances, the unit every part of the engine passes around — the
//! writer's expansions (`view`), the validator (`eval`), the checks and the examples. Its own file,
//! below all of them, so none of them imports another for it.

use crate::schema::json::{NodeId, types};

/// An instance set: every node in `pos` accepts it, no node in `neg` accepts it, and its type is
/// in `types`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Alt {
    pub pos: Vec<NodeId>,
    pub neg: Vec<NodeId>,
    pub types: u8,
}

impl Alt {
    pub fn of(id: NodeId) -> Alt {
        Alt {
            pos: vec![id],
            neg: Vec::new(),
            types: types::ALL,
        }
    }
    /// Anything at all.
    pub fn any() -> Alt {
        Alt {
            pos: Vec::new(),
            neg: Vec::new(),
            types: types::ALL,
        }
    }
    pub fn and(&self, id: NodeId) -> Alt {
        let mut a = self.clone();
        if !a.pos.contains(&id) {
            a.pos.push(id);
        }
        a
    }
    pub fn with_types(&self, t: u8) -> Alt {
        let mut a = self.clone();
        a.types &= t;
        a
    }
}
