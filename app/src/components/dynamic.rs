//! Type-erased view closures, made for a small browser bundle. The renderer's code for a reactive
//! text, attribute, class or style, and for an event listener, is generic over the closure's type,
//! so every `move || …` and `move |ev| …` in a view brings its own copy of it. Behind [`Dynamic<T>`]
//! and [`Listener<E>`] every closure of one value or event type shares one copy.

use std::sync::Arc;

/// A reactive value shown in a view (text, attribute, class or style): re-read, and the DOM
/// updated, whenever what it reads changes.
pub type Dynamic<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// `f` as a [`Dynamic`] value.
pub fn dynamic<T>(f: impl Fn() -> T + Send + Sync + 'static) -> Dynamic<T> {
    Arc::new(f)
}

/// An event listener (`on:event=`).
pub type Listener<E> = Box<dyn FnMut(E)>;

/// `f` as a [`Listener`].
pub fn listener<E>(f: impl FnMut(E) + 'static) -> Listener<E> {
    Box::new(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn dynamic_values_and_listeners_call_their_closures() {
        let n = Arc::new(AtomicUsize::new(2));
        let read = {
            let n = n.clone();
            dynamic(move || n.load(Ordering::SeqCst) * 10)
        };
        assert_eq!(read(), 20);
        let mut add = {
            let n = n.clone();
            listener(move |by: usize| {
                n.fetch_add(by, Ordering::SeqCst);
            })
        };
        add(3);
        assert_eq!(read(), 50);
    }
}
