//! The source map: file texts and byte spans, for files on disk and (later) blobs read at a git
//! ref alike. A leaf module: it imports nothing of the rest of the crate.

pub mod json;

use std::collections::BTreeMap;
use std::sync::Arc;

/// A byte range in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One file's text with a line index, so spans turn into 1-based line:column (columns count
/// characters, as editors do).
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to people: relative to the registry root where there is one.
    pub path: String,
    pub text: String,
    /// Made on the first position asked for: most files of a clean registry never need one.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// ASCII text: a column is a byte offset, found without counting (a minified file is one
    /// long line, and counting its characters for every finding would take quadratic time).
    ascii: bool,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        SourceFile {
            path: path.into(),
            ascii: text.is_ascii(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            // Counted first: thousands of files keep their index for the whole run, and a
            // vector grown by doubling holds a third more than it needs.
            let lines = self.text.bytes().filter(|&b| b == b'\n').count();
            let mut starts = Vec::with_capacity(lines + 1);
            starts.push(0);
            starts.extend(
                self.text
                    .bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts
        });
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        if self.ascii {
            return (line + 1, offset - start + 1);
        }
        let prefix = self.text.get(start..offset).unwrap_or("");
        (line + 1, prefix.chars().count() + 1)
    }
}

/// Every file a report may point into, by the path findings name.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, Arc<SourceFile>>,
}

impl SourceMap {
    pub fn insert(&mut self, file: Arc<SourceFile>) {
        self.files.insert(file.path.clone(), file);
    }
    pub fn get(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.files.get(path)
    }
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a", "ab\né\u{e9}x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'x' comes after two two-byte characters on line 2.
        assert_eq!(f.line_col(7), (2, 3));
        assert_eq!(f.line_col(999), (3, 1));
    }
}
