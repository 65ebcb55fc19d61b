//! A set of node or edge ids for the editor (the selection, what a gesture or delete touches):
//! a sorted, duplicate-free `Vec<String>`. It iterates in the same order as a `BTreeSet<String>`,
//! and for the few hundred ids of a selection it is as fast, while its code in the browser
//! bundle is a fraction of a B-tree's.

/// A sorted set of ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdSet(Vec<String>);

impl IdSet {
    /// The empty set.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// How many ids it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds no id.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|x| x.as_str().cmp(id))
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// Adds `id`; `false` when it was already there.
    pub fn insert(&mut self, id: String) -> bool {
        match self.find(&id) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, id);
                true
            }
        }
    }

    /// Removes `id`; `false` when it was not there.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.find(id) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Keeps only the ids for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&String) -> bool) {
        self.0.retain(keep);
    }

    /// The ids in order.
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.0.iter()
    }
}

impl FromIterator<String> for IdSet {
    fn from_iter<I: IntoIterator<Item = String>>(ids: I) -> Self {
        let mut all: Vec<String> = ids.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        Self(all)
    }
}

impl Extend<String> for IdSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, ids: I) {
        self.0.extend(ids);
        self.0.sort_unstable();
        self.0.dedup();
    }
}

impl<const N: usize> From<[String; N]> for IdSet {
    fn from(ids: [String; N]) -> Self {
        ids.into_iter().collect()
    }
}

impl IntoIterator for IdSet {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a IdSet {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;
    use std::collections::BTreeSet;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn behaves_like_a_btree_set() {
        let input = ids(&["n3", "a", "n10", "a", "Z", "n2", "n3"]);
        let set: IdSet = input.iter().cloned().collect();
        let tree: BTreeSet<String> = input.iter().cloned().collect();
        assert_eq!(set.len(), tree.len());
        assert!(set.iter().eq(tree.iter()));
        for probe in ["a", "Z", "n10", "n1", "", "zz"] {
            assert_eq!(set.contains(probe), tree.contains(probe), "{probe}");
        }
    }

    #[test]
    fn insert_remove_retain_extend() {
        let mut set = IdSet::from(["b".to_string()]);
        assert!(set.insert("a".into()));
        assert!(!set.insert("b".into()));
        assert!(set.insert("c".into()));
        assert_eq!(
            set.iter().cloned().collect::<Vec<_>>(),
            ids(&["a", "b", "c"])
        );
        assert!(set.remove("b"));
        assert!(!set.remove("b"));
        set.extend(ids(&["d", "a", "0"]));
        assert_eq!(
            set.iter().cloned().collect::<Vec<_>>(),
            ids(&["0", "a", "c", "d"])
        );
        set.retain(|id| id != "c");
        assert_eq!((&set).into_iter().count(), 3);
        assert_eq!(
            set.clone().into_iter().collect::<Vec<_>>(),
            ids(&["0", "a", "d"])
        );
        assert!(!set.contains("c"));
        set.extend(None);
        assert_eq!(set.len(), 3);
        assert!(IdSet::new().is_empty());
        assert_eq!(IdSet::default(), IdSet::new());
    }
}
