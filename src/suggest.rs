//! "Did you mean …?" for names people type: subjects, rule ids, envelope fields.

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidates close to `word`: a small edit away, or containing it (or contained in it),
/// closest first.
pub fn similar<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let budget = (word.chars().count() / 4).clamp(1, 3);
    let mut found: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(word, c);
            (d <= budget || (word.len() >= 4 && (c.contains(word) || word.contains(c))))
                .then_some((d, c))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, c)| c).take(3).collect()
}

/// A value as messages quote it: at most 40 characters, so a huge value cannot flood a report.
pub fn quote(value: &str) -> String {
    if value.chars().count() <= 40 {
        format!("`{value}`")
    } else {
        format!(
            "`{}…` ({} characters)",
            value.chars().take(40).collect::<String>(),
            value.chars().count()
        )
    }
}

/// `did you mean a, b?`, or the fallback when nothing is close.
pub fn hint<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: &str,
) -> String {
    let near = similar(word, candidates);
    if near.is_empty() {
        fallback.to_string()
    } else {
        format!("did you mean {}?", near.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_parts() {
        let names = [
            "orders.order.placed",
            "orders.order.cancelled",
            "payments.charge.succeeded",
        ];
        assert_eq!(
            similar("orders.order.placd", names),
            ["orders.order.placed"]
        );
        assert_eq!(similar("order.placed", names), ["orders.order.placed"]);
        assert!(similar("shipping", names).is_empty());
        assert_eq!(hint("x", names, "see the list"), "see the list");
    }
}
