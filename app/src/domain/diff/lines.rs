//! A line diff of two texts (the rendered manifests of two versions) as unified-diff hunks: each
//! hunk a header (`@@ -a,b +c,d @@`) and its lines, unchanged ones as context around the changes.

use serde::{Deserialize, Serialize};

/// What happened to one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineChange {
    /// In both texts (context).
    Same,
    /// Only in the newer text.
    Added,
    /// Only in the older text.
    Removed,
}

impl LineChange {
    /// The sign a unified diff puts before such a line: ` `, `+` or `-`.
    pub fn sign(self) -> char {
        match self {
            LineChange::Same => ' ',
            LineChange::Added => '+',
            LineChange::Removed => '-',
        }
    }
}

/// One line of a hunk, without its line break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    /// Same, added or removed.
    pub change: LineChange,
    /// The line.
    pub text: String,
}

/// A run of changes with their context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    /// `@@ -start,count +start,count @@`.
    pub header: String,
    /// The lines, in order.
    pub lines: Vec<DiffLine>,
}

/// The hunks that turn `old` into `new`, with `context` unchanged lines around each change;
/// none when the texts are the same.
#[cfg(feature = "render")]
pub fn line_diff(old: &str, new: &str, context: usize) -> Vec<Hunk> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(context);
    unified
        .iter_hunks()
        .map(|hunk| Hunk {
            header: hunk.header().to_string(),
            lines: hunk
                .iter_changes()
                .map(|change| DiffLine {
                    change: match change.tag() {
                        ChangeTag::Equal => LineChange::Same,
                        ChangeTag::Insert => LineChange::Added,
                        ChangeTag::Delete => LineChange::Removed,
                    },
                    text: change.value().trim_end_matches('\n').to_string(),
                })
                .collect(),
        })
        .collect()
}

#[cfg(all(test, feature = "render"))]
mod tests {
    use super::*;

    const OLD: &str =
        "kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  image: nginx\n";
    const NEW: &str =
        "kind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n  image: nginx\n";

    fn changed(hunks: &[Hunk]) -> Vec<(LineChange, &str)> {
        hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| l.change != LineChange::Same)
            .map(|l| (l.change, l.text.as_str()))
            .collect()
    }

    #[test]
    fn a_changed_line_is_one_removal_and_one_addition_with_context() {
        let hunks = line_diff(OLD, NEW, 1);
        assert_eq!(hunks.len(), 1);
        assert_eq!(hunks[0].header, "@@ -4,3 +4,3 @@");
        assert_eq!(
            changed(&hunks),
            [
                (LineChange::Removed, "  replicas: 2"),
                (LineChange::Added, "  replicas: 5")
            ]
        );
        assert_eq!(
            hunks[0].lines.first().map(|l| l.text.as_str()),
            Some("spec:")
        );
        let signs: String = hunks[0].lines.iter().map(|l| l.change.sign()).collect();
        assert_eq!(signs, " -+ ");
    }

    #[test]
    fn identical_texts_have_no_hunks_and_the_reverse_is_the_mirror_image() {
        assert!(line_diff(OLD, OLD, 3).is_empty());
        let mirror: Vec<(LineChange, String)> = changed(&line_diff(NEW, OLD, 3))
            .into_iter()
            .map(|(c, t)| (c, t.to_string()))
            .collect();
        assert_eq!(
            mirror,
            [
                (LineChange::Removed, "  replicas: 5".to_string()),
                (LineChange::Added, "  replicas: 2".to_string())
            ]
        );
    }

    #[test]
    fn added_documents_are_added_lines_only() {
        let more = format!("{OLD}---\nkind: Service\n");
        let hunks = line_diff(OLD, &more, 0);
        assert_eq!(
            changed(&hunks),
            [
                (LineChange::Added, "---"),
                (LineChange::Added, "kind: Service")
            ]
        );
    }
}
