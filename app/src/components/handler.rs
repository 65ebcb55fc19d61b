//! [`Handler`]: a copyable event handler passed to components, in place of Leptos's `Callback<T>`,
//! made for a small browser bundle: the function is kept type-erased in the same non-generic arena
//! slot as [`super::derived::Derived`], so an argument type adds only a downcast.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use super::var::copy_handle;
use leptos::prelude::{GetValue, StoredValue};

/// The function behind a [`Handler<T>`].
type Function<T> = Box<dyn Fn(T) + Send + Sync>;

/// A function a component calls when something happens (a copyable handle, owned by the
/// reactive owner it was created under).
pub struct Handler<T> {
    function: StoredValue<Arc<dyn Any + Send + Sync>>,
    ty: PhantomData<fn(T)>,
}

copy_handle!(Handler);

impl<T: 'static> Handler<T> {
    /// A handler that calls `function`.
    pub fn new(function: impl Fn(T) + Send + Sync + 'static) -> Self {
        let function: Function<T> = Box::new(function);
        Self {
            function: StoredValue::new(Arc::new(function)),
            ty: PhantomData,
        }
    }

    /// Calls the handler with `input` (nothing once its owner is gone, as the component that
    /// would have reacted is gone too).
    pub fn run(&self, input: T) {
        if let Some(function) = self.function.try_get_value() {
            let function: &Function<T> = function
                .downcast_ref()
                .expect("a Handler holds a function of its own argument type");
            function(input);
        }
    }
}

impl<T, F> From<F> for Handler<T>
where
    T: 'static,
    F: Fn(T) + Send + Sync + 'static,
{
    fn from(function: F) -> Self {
        Self::new(function)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use leptos::prelude::Owner;

    use super::Handler;

    #[test]
    fn runs_its_function_with_the_input_until_its_owner_is_gone() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let owner = Owner::new();
        let handler = owner.with(|| {
            let seen = Arc::clone(&seen);
            let handler: Handler<(u32, String)> =
                (move |(n, s): (u32, String)| seen.lock().unwrap().push(format!("{n}{s}"))).into();
            let copy = handler;
            handler.run((1, "a".into()));
            copy.run((2, "b".into()));
            handler
        });
        owner.cleanup();
        handler.run((3, "c".into()));
        assert_eq!(*seen.lock().unwrap(), ["1a", "2b"]);
    }
}
