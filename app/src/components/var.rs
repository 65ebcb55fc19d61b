//! [`Var`]: a reactive variable with the methods of Leptos's `RwSignal`, made for a small browser
//! bundle.
//!
//! An `RwSignal<T>` brings its own copy of the reactive graph's code for every value type `T`
//! (arena lookups, subscriber lists, change notification: 3–4 kB of code per type before
//! wasm-opt, and the editor has dozens of types). A `Var<T>` keeps its value type-erased next to
//! one non-generic trigger, in one non-generic arena slot, so the only code it adds per value type
//! is a downcast and the caller's closures. Tracking and notification behave as an `RwSignal`'s:
//! reading with [`Var::get`] or [`Var::with`] subscribes the running effect or memo, and every
//! [`Var::set`] or [`Var::update`] notifies (without comparing values). [`Stored`] is the same
//! slot for a value that is never tracked, in place of `StoredValue`.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::{Arc, PoisonError, RwLock};

use leptos::prelude::{ArcTrigger, GetValue, Notify, StoredValue, Track};

/// `Clone`, `Copy` and `Debug` for a handle type `$name<T>`, whatever `T` is (derives would ask
/// `T` for them).
macro_rules! copy_handle {
    ($name:ident) => {
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}

        impl<T> std::fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    };
}

pub(crate) use copy_handle;

/// What one [`Var`] holds: its trigger and its value (a `RwLock<T>`, type-erased).
struct Slot {
    trigger: ArcTrigger,
    value: Box<dyn Any + Send + Sync>,
}

/// A reactive variable (a copyable handle, owned by the reactive owner it was created under and
/// freed with it, like a signal).
pub struct Var<T> {
    slot: StoredValue<Arc<Slot>>,
    ty: PhantomData<fn() -> T>,
}

copy_handle!(Var);

impl<T> PartialEq for Var<T> {
    fn eq(&self, other: &Self) -> bool {
        self.slot == other.slot
    }
}

impl<T> Eq for Var<T> {}

/// The slot behind a handle, or `None` once its owner is gone.
fn slot(handle: StoredValue<Arc<Slot>>) -> Option<Arc<Slot>> {
    handle.try_get_value()
}

/// The slot behind a handle that is read: reading a freed variable is a bug in the caller, as
/// reading a disposed signal is.
fn live_slot(handle: StoredValue<Arc<Slot>>) -> Arc<Slot> {
    slot(handle).expect("a Var was read after its owner was disposed")
}

impl<T: Send + Sync + 'static> Var<T> {
    /// A variable holding `value`, owned by the current reactive owner.
    pub fn new(value: T) -> Self {
        let slot = Slot {
            trigger: ArcTrigger::new(),
            value: Box::new(RwLock::new(value)),
        };
        Self {
            slot: StoredValue::new(Arc::new(slot)),
            ty: PhantomData,
        }
    }

    fn lock(slot: &Slot) -> &RwLock<T> {
        slot.value
            .downcast_ref()
            .expect("a Var's slot holds its own value type")
    }

    /// Calls `f` with the value, subscribing the running effect or memo to changes.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        let slot = live_slot(self.slot);
        slot.trigger.track();
        let value = Self::lock(&slot)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        f(&value)
    }

    /// Calls `f` with the value, without subscribing to changes.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        let slot = live_slot(self.slot);
        let value = Self::lock(&slot)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        f(&value)
    }

    /// A copy of the value, subscribing the running effect or memo to changes.
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    /// A copy of the value, without subscribing to changes.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.with_untracked(T::clone)
    }

    /// Subscribes the running effect or memo to changes without reading the value.
    pub fn track(&self) {
        if let Some(slot) = slot(self.slot) {
            slot.trigger.track();
        }
    }

    /// Changes the value with `f` and notifies subscribers; returns what `f` returns, or `None`
    /// when the variable's owner is gone (then nothing happens).
    pub fn try_update<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.modify(true, f)
    }

    fn modify<R>(&self, notify: bool, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let slot = slot(self.slot)?;
        let result = {
            let mut value = Self::lock(&slot)
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            f(&mut value)
        };
        if notify {
            slot.trigger.notify();
        }
        Some(result)
    }

    fn try_with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        let slot = slot(self.slot)?;
        let value = Self::lock(&slot)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        Some(f(&value))
    }

    /// Changes the value with `f` and notifies subscribers (nothing once the owner is gone).
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.try_update(f);
    }

    /// Replaces the value and notifies subscribers (nothing once the owner is gone).
    pub fn set(&self, value: T) {
        self.try_update(move |v| *v = value);
    }
}

/// A value kept with the reactive owner and never tracked: the methods of Leptos's
/// `StoredValue`, on the same non-generic slot as [`Var`] (so a value type adds only a downcast).
pub struct Stored<T>(Var<T>);

copy_handle!(Stored);

impl<T: Send + Sync + 'static> Stored<T> {
    /// Keeps `value`, owned by the current reactive owner.
    pub fn new(value: T) -> Self {
        Self(Var::new(value))
    }

    /// Calls `f` with the value.
    pub fn with_value<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.0.with_untracked(f)
    }

    /// A copy of the value.
    pub fn get_value(&self) -> T
    where
        T: Clone,
    {
        self.0.get_untracked()
    }

    /// A copy of the value, or `None` once its owner is gone.
    pub fn try_get_value(&self) -> Option<T>
    where
        T: Clone,
    {
        self.0.try_with_untracked(T::clone)
    }

    /// Changes the value with `f`; returns what `f` returns, or `None` once the owner is gone.
    pub fn try_update_value<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.0.modify(false, f)
    }

    /// Changes the value with `f` (nothing once the owner is gone).
    pub fn update_value(&self, f: impl FnOnce(&mut T)) {
        self.try_update_value(f);
    }

    /// Replaces the value (nothing once the owner is gone).
    pub fn set_value(&self, value: T) {
        self.try_update_value(move |v| *v = value);
    }
}

#[cfg(test)]
mod tests {
    use leptos::prelude::{Get, Memo, Owner};

    use super::{Stored, Var};

    #[test]
    fn reads_writes_and_updates() {
        let owner = Owner::new();
        owner.with(|| {
            let var = Var::new(vec![1, 2]);
            assert_eq!(var.get(), vec![1, 2]);
            var.update(|v| v.push(3));
            assert_eq!(var.with(|v| v.len()), 3);
            var.set(vec![7]);
            assert_eq!(var.get_untracked(), vec![7]);
            assert_eq!(var.try_update(|v| v.pop()), Some(Some(7)));
            assert!(var.with_untracked(Vec::is_empty));
        });
    }

    #[test]
    fn readers_follow_changes_and_untracked_reads_do_not() {
        let owner = Owner::new();
        owner.with(|| {
            let count = Var::new(1);
            let other = Var::new(10);
            let tracked = Memo::new(move |_| count.get() * 2);
            let untracked = Memo::new(move |_| other.get_untracked() + count.get());
            assert_eq!(tracked.get(), 2);
            assert_eq!(untracked.get(), 11);
            count.set(5);
            assert_eq!(tracked.get(), 10);
            assert_eq!(untracked.get(), 15);
            other.set(20);
            assert_eq!(untracked.get(), 15, "an untracked read does not subscribe");
            count.update(|c| *c += 1);
            assert_eq!(untracked.get(), 26);
        });
    }

    #[test]
    fn track_subscribes_without_reading() {
        let owner = Owner::new();
        owner.with(|| {
            let revision = Var::new(0u64);
            let other = Var::new(1);
            let reader = Memo::new(move |_| {
                revision.track();
                other.get_untracked()
            });
            assert_eq!(reader.get(), 1);
            other.set(2);
            assert_eq!(reader.get(), 1);
            revision.update(|r| *r += 1);
            assert_eq!(reader.get(), 2);
        });
    }

    #[test]
    fn copies_are_the_same_variable_and_writes_after_disposal_do_nothing() {
        let owner = Owner::new();
        let (a, b) = owner.with(|| {
            let a = Var::new(String::from("x"));
            let b = a;
            b.set("y".into());
            assert_eq!(a.get_untracked(), "y");
            assert_eq!(a, b);
            assert_ne!(a, Var::new(String::from("y")));
            (a, b)
        });
        owner.cleanup();
        a.set("z".into());
        assert_eq!(b.try_update(|v| v.clone()), None);
    }

    #[test]
    fn stored_values_keep_their_value_and_are_never_tracked() {
        let owner = Owner::new();
        let stored = owner.with(|| {
            let stored = Stored::new(vec![1]);
            let reader = Memo::new(move |_| stored.with_value(Vec::len));
            assert_eq!(reader.get(), 1);
            stored.update_value(|v| v.push(2));
            assert_eq!(stored.get_value(), vec![1, 2]);
            assert_eq!(reader.get(), 1, "reading a stored value does not subscribe");
            stored.set_value(vec![]);
            assert_eq!(stored.try_update_value(|v| v.len()), Some(0));
            assert_eq!(stored.try_get_value(), Some(vec![]));
            stored
        });
        owner.cleanup();
        assert_eq!(stored.try_get_value(), None);
        stored.set_value(vec![3]);
        assert_eq!(stored.try_update_value(|v| v.len()), None);
    }
}
