//! [`Derived`]: a copyable value worked out from reactive state when read, in place of Leptos's
//! `Signal<T>` (and `Signal::derive`), made for a small browser bundle.
//!
//! A `Signal<T>` carries the reactive graph's code once per value type `T`; a `Derived<T>` keeps
//! its function type-erased in one non-generic arena slot, so each value type adds only a
//! downcast. Reading calls the function, so whatever it reads is tracked by the running effect or
//! memo, exactly as with `Signal::derive` (nothing is cached).

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use leptos::prelude::{untrack, GetValue, StoredValue};

use super::var::{copy_handle, Var};

/// The function behind a [`Derived<T>`].
type Compute<T> = Box<dyn Fn() -> T + Send + Sync>;

/// A value worked out when read (a copyable handle, owned by the reactive owner it was created
/// under, like a signal).
pub struct Derived<T> {
    compute: StoredValue<Arc<dyn Any + Send + Sync>>,
    ty: PhantomData<fn() -> T>,
}

copy_handle!(Derived);

/// The function behind a handle: reading a freed one is a bug in the caller, as reading a
/// disposed signal is.
fn live(handle: StoredValue<Arc<dyn Any + Send + Sync>>) -> Arc<dyn Any + Send + Sync> {
    handle
        .try_get_value()
        .expect("a Derived was read after its owner was disposed")
}

impl<T: 'static> Derived<T> {
    /// A value worked out by `compute` whenever it is read.
    pub fn new(compute: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let compute: Compute<T> = Box::new(compute);
        Self {
            compute: StoredValue::new(Arc::new(compute)),
            ty: PhantomData,
        }
    }

    /// The value, tracking what it is worked out from.
    pub fn get(&self) -> T {
        let compute = live(self.compute);
        let compute: &Compute<T> = compute
            .downcast_ref()
            .expect("a Derived holds a function of its own value type");
        compute()
    }

    /// The value, without tracking what it is worked out from.
    pub fn get_untracked(&self) -> T {
        untrack(|| self.get())
    }

    /// Calls `f` with the value, tracking what it is worked out from.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.get())
    }

    /// Subscribes the running effect or memo to what the value is worked out from.
    pub fn track(&self) {
        self.get();
    }
}

impl<T, F> From<F> for Derived<T>
where
    T: 'static,
    F: Fn() -> T + Send + Sync + 'static,
{
    fn from(compute: F) -> Self {
        Self::new(compute)
    }
}

impl<T: Clone + Send + Sync + 'static> From<Var<T>> for Derived<T> {
    fn from(var: Var<T>) -> Self {
        Self::new(move || var.get())
    }
}

#[cfg(test)]
mod tests {
    use leptos::prelude::{Get, Memo, Owner};

    use super::Derived;
    use crate::components::var::Var;

    #[test]
    fn works_out_the_value_when_read_and_is_tracked_through_what_it_reads() {
        let owner = Owner::new();
        owner.with(|| {
            let count = Var::new(2);
            let double = Derived::new(move || count.get() * 2);
            let copy = double;
            assert_eq!(double.get(), 4);
            let reader = Memo::new(move |_| copy.with(|d| d + 1));
            assert_eq!(reader.get(), 5);
            count.set(10);
            assert_eq!(double.get(), 20);
            assert_eq!(reader.get(), 21);
            let untracked = Memo::new(move |_| double.get_untracked());
            assert_eq!(untracked.get(), 20);
            count.set(1);
            assert_eq!(untracked.get(), 20, "an untracked read does not subscribe");
            let tracking = Memo::new(move |_| {
                double.track();
                count.get_untracked()
            });
            assert_eq!(tracking.get(), 1);
            count.set(3);
            assert_eq!(tracking.get(), 3);
        });
    }

    #[test]
    fn converts_from_closures_and_variables() {
        let owner = Owner::new();
        owner.with(|| {
            let name = Var::new(String::from("web"));
            let from_var: Derived<String> = name.into();
            let from_closure: Derived<usize> = (move || name.with(String::len)).into();
            name.set("frontend".into());
            assert_eq!(from_var.get(), "frontend");
            assert_eq!(from_closure.get(), 8);
        });
    }
}
