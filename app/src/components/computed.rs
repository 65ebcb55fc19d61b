//! [`Computed`]: a cached value worked out from reactive state, in place of Leptos's `Memo<T>`,
//! made for a small browser bundle.
//!
//! Every `Computed<T>` is one Leptos memo of a single type-erased value type, so the memo code
//! (recomputing, comparing, notifying) is in the bundle once instead of once per `T`; a value type
//! adds only its downcasts and its comparison. Like a `Memo`, it recomputes when what it read
//! changes and notifies its readers only when the new value differs from the old.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use super::var::copy_handle;
use leptos::prelude::{Memo, With, WithUntracked};

/// The value inside every computed value's memo.
type Erased = Arc<dyn Any + Send + Sync>;

/// A cached value worked out from reactive state (a copyable handle, owned by the reactive owner
/// it was created under, like a memo).
pub struct Computed<T> {
    memo: Memo<Erased>,
    ty: PhantomData<fn() -> T>,
}

copy_handle!(Computed);

fn typed<T: 'static>(value: &Erased) -> &T {
    value
        .downcast_ref()
        .expect("a Computed holds its own value type")
}

/// Whether a new value differs from the old one (what decides if readers are notified).
fn changed<T: PartialEq + 'static>(old: Option<&Erased>, new: Option<&Erased>) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => typed::<T>(old) != typed::<T>(new),
        (None, None) => false,
        _ => true,
    }
}

impl<T: PartialEq + Send + Sync + 'static> Computed<T> {
    /// A value worked out by `compute` (given the previous value) whenever what it read changes.
    pub fn new(compute: impl Fn(Option<&T>) -> T + Send + Sync + 'static) -> Self {
        let memo = Memo::new_with_compare(
            move |previous: Option<&Erased>| -> Erased {
                Arc::new(compute(previous.map(typed::<T>)))
            },
            changed::<T>,
        );
        Self {
            memo,
            ty: PhantomData,
        }
    }

    /// Calls `f` with the value, subscribing the running effect or memo to its changes.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.memo.with(|value| f(typed(value)))
    }

    /// Calls `f` with the value, without subscribing to its changes.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.memo.with_untracked(|value| f(typed(value)))
    }

    /// A copy of the value, subscribing the running effect or memo to its changes.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    /// A copy of the value, without subscribing to its changes.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.with_untracked(T::clone)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use leptos::prelude::{Get, Memo, Owner};

    use super::Computed;
    use crate::components::var::Var;

    #[test]
    fn recomputes_when_its_input_changes_and_caches_otherwise() {
        let owner = Owner::new();
        owner.with(|| {
            let runs = Arc::new(AtomicUsize::new(0));
            let count = Var::new(3);
            let parity = Computed::new({
                let runs = Arc::clone(&runs);
                move |_| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    count.get() % 2
                }
            });
            assert_eq!(parity.get(), 1);
            assert_eq!(parity.with(|p| p + 1), 2);
            assert_eq!(
                runs.load(Ordering::SeqCst),
                1,
                "a second read uses the cached value"
            );
            count.set(4);
            assert_eq!(parity.get_untracked(), 0);
            assert_eq!(runs.load(Ordering::SeqCst), 2);
        });
    }

    #[test]
    fn readers_are_notified_only_when_the_value_differs() {
        let owner = Owner::new();
        owner.with(|| {
            let count = Var::new(1);
            let parity = Computed::new(move |_| count.get() % 2);
            let reads = Arc::new(AtomicUsize::new(0));
            let reader = Memo::new({
                let reads = Arc::clone(&reads);
                move |_| {
                    reads.fetch_add(1, Ordering::SeqCst);
                    parity.get()
                }
            });
            assert_eq!(reader.get(), 1);
            count.set(3);
            assert_eq!(reader.get(), 1);
            assert_eq!(
                reads.load(Ordering::SeqCst),
                1,
                "same parity: the reader did not rerun"
            );
            count.set(6);
            assert_eq!(reader.get(), 0);
            assert_eq!(reads.load(Ordering::SeqCst), 2);
        });
    }

    #[test]
    fn gets_the_previous_value() {
        let owner = Owner::new();
        owner.with(|| {
            let input = Var::new(5);
            let highest = Computed::new(move |previous: Option<&i32>| {
                input.get().max(previous.copied().unwrap_or(i32::MIN))
            });
            assert_eq!(highest.get(), 5);
            input.set(2);
            assert_eq!(highest.get(), 5);
            input.set(9);
            assert_eq!(highest.get(), 9);
        });
    }
}
