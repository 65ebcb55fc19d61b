//! Which two versions the user picked for comparing (pure).

/// Picks or unpicks `number`. At most two stay picked: picking a third drops the earliest pick.
pub fn toggle(picked: &mut Vec<u64>, number: u64) {
    if let Some(at) = picked.iter().position(|n| *n == number) {
        picked.remove(at);
        return;
    }
    picked.push(number);
    if picked.len() > 2 {
        picked.remove(0);
    }
}

/// The compare page comparing `from` with `to`.
pub fn compare_href(workflow_id: &str, from: u64, to: u64) -> String {
    format!("/workflows/{workflow_id}/compare?from={from}&to={to}")
}

/// The compare page for two picked versions, older one first; `None` unless two are picked.
pub fn picked_href(workflow_id: &str, picked: &[u64]) -> Option<String> {
    match picked {
        [a, b] => Some(compare_href(workflow_id, *a.min(b), *a.max(b))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_two_are_picked_and_a_third_replaces_the_earliest() {
        let mut picked = vec![];
        toggle(&mut picked, 3);
        toggle(&mut picked, 1);
        assert_eq!(picked, [3, 1]);
        toggle(&mut picked, 2);
        assert_eq!(picked, [1, 2]);
        toggle(&mut picked, 1);
        assert_eq!(picked, [2], "picking again unpicks");
    }

    #[test]
    fn the_link_compares_the_older_with_the_newer() {
        assert_eq!(picked_href("w1", &[5]), None);
        assert_eq!(
            picked_href("w1", &[5, 2]).as_deref(),
            Some("/workflows/w1/compare?from=2&to=5")
        );
    }
}
