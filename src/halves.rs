//! One vector written in two halves at once: the caches keep long lists (a plan's items, the
//! facts kept for each) that are decoded on two cores, each half straight into its part of
//! the one vector. Decoding them into two vectors and appending the second to the first
//! copied half of the list into memory the process had yet to touch: at 100,000 items, 20 ms
//! of the 120 that loading a plan from its cache takes, and 12 of the 35 that reading the
//! kept facts takes.

use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::{DeserializeOwned, DeserializeSeed, Error, IgnoredAny, SeqAccess, Visitor};

/// A vector of a known length, its elements to be written in two halves ([`Halves::split`]),
/// on two threads or one; a vector only once both halves wrote every one of their slots.
pub struct Halves<T> {
    vec: Vec<T>,
    len: usize,
    /// How many slots each half of the latest split wrote.
    written: [AtomicUsize; 2],
}

impl<T> Halves<T> {
    /// Room for `len` elements, none written.
    pub fn with_len(len: usize) -> Halves<T> {
        Halves {
            vec: Vec::with_capacity(len),
            len,
            written: [AtomicUsize::new(0), AtomicUsize::new(0)],
        }
    }

    /// The slots before `at`, and those from it (`at` is capped at the length).
    pub fn split(&mut self, at: usize) -> (Slots<'_, T>, Slots<'_, T>) {
        let at = at.min(self.len);
        let (a, b) = self.vec.spare_capacity_mut()[..self.len].split_at_mut(at);
        let [wa, wb] = &self.written;
        wa.store(0, Ordering::Relaxed);
        wb.store(0, Ordering::Relaxed);
        (Slots::new(a, wa), Slots::new(b, wb))
    }

    /// The vector, when both halves of the latest split wrote all their slots. Otherwise
    /// what was written is dropped with the room, undropped (leaked), never read.
    pub fn into_vec(mut self) -> Option<Vec<T>> {
        let written: usize = self.written.iter().map(|w| w.load(Ordering::Acquire)).sum();
        (written == self.len).then_some(())?;
        // SAFETY: the two halves of the latest split are the first `len` slots, and each
        // wrote every one of its slots ([`Slots::push`] writes them in order and counts
        // them; the count is stored when the half is dropped).
        unsafe { self.vec.set_len(self.len) };
        Some(self.vec)
    }
}

/// One half's slots, written in order.
pub struct Slots<'v, T> {
    slots: &'v mut [MaybeUninit<T>],
    next: usize,
    written: &'v AtomicUsize,
}

impl<'v, T> Slots<'v, T> {
    fn new(slots: &'v mut [MaybeUninit<T>], written: &'v AtomicUsize) -> Slots<'v, T> {
        Slots {
            slots,
            next: 0,
            written,
        }
    }

    /// How many slots there are.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Writes the next slot; `None` when every slot is written.
    pub fn push(&mut self, value: T) -> Option<()> {
        self.slots.get_mut(self.next)?.write(value);
        self.next += 1;
        Some(())
    }

    /// Writes every slot from the postcard sequence `bytes`; `None` unless it holds exactly
    /// as many elements and nothing after them.
    pub fn decode(&mut self, bytes: &[u8]) -> Option<()>
    where
        T: DeserializeOwned,
    {
        let mut de = postcard::Deserializer::from_bytes(bytes);
        Fill(self).deserialize(&mut de).ok()?;
        de.finalize().ok()?.is_empty().then_some(())
    }
}

impl<T> Drop for Slots<'_, T> {
    fn drop(&mut self) {
        self.written.store(self.next, Ordering::Release);
    }
}

/// The vector of `first_len` elements decoded from the postcard sequence `first`, then
/// `second_len` from `second`, each half on a core of its own from [`ON_TWO_CORES`]
/// elements; `None` when either is not a sequence of exactly that many.
pub fn decode<T: DeserializeOwned + Send>(
    (first, first_len): (&[u8], usize),
    (second, second_len): (&[u8], usize),
) -> Option<Vec<T>> {
    let len = first_len.checked_add(second_len)?;
    // Every element takes a byte at least: a count the bytes cannot hold is no list.
    (len <= first.len().saturating_add(second.len())).then_some(())?;
    let mut halves = Halves::with_len(len);
    let (mut a, mut b) = halves.split(first_len);
    let decoded = match len >= ON_TWO_CORES {
        true => crate::join(|| a.decode(first), || b.decode(second)),
        false => (a.decode(first), b.decode(second)),
    };
    drop((a, b));
    (decoded == (Some(()), Some(()))).then_some(())?;
    halves.into_vec()
}

/// The elements from which [`decode`] decodes its halves on two cores: below it, a second
/// thread costs more than it saves.
pub const ON_TWO_CORES: usize = 16 * 1024;

/// Writes a sequence's elements to the slots, which it must fill exactly.
struct Fill<'s, 'v, T>(&'s mut Slots<'v, T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Fill<'_, '_, T> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Fill<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a sequence of {}", self.0.len())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let len = self.0.len();
        for i in 0..len {
            let element = seq.next_element()?;
            let element = element.ok_or_else(|| A::Error::invalid_length(i, &self))?;
            self.0
                .push(element)
                .expect("a slot for each of `len` elements");
        }
        match seq.next_element::<IgnoredAny>()? {
            Some(_) => Err(A::Error::invalid_length(len + 1, &self)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn halves(list: &[String], at: usize) -> (Vec<u8>, Vec<u8>) {
        let (a, b) = list.split_at(at);
        (
            postcard::to_allocvec(a).unwrap(),
            postcard::to_allocvec(b).unwrap(),
        )
    }

    #[test]
    fn the_halves_make_the_list_on_one_core_or_two() {
        for n in [0, 1, 7, ON_TWO_CORES + 3] {
            let list: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
            for at in [0, n / 3, n] {
                let (a, b) = halves(&list, at);
                let decoded: Vec<String> = decode((&a, at), (&b, n - at)).unwrap();
                assert_eq!(decoded, list, "{n} split at {at}");
            }
        }
    }

    #[test]
    fn a_half_of_another_length_or_with_bytes_after_it_is_refused() {
        let list: Vec<String> = (0..10).map(|i| format!("item {i}")).collect();
        let (a, b) = halves(&list, 4);
        assert!(decode::<String>((&a, 3), (&b, 6)).is_none());
        assert!(decode::<String>((&a, 4), (&b, 7)).is_none());
        assert!(decode::<String>((&a, 5), (&b, 5)).is_none());
        let mut longer = b.clone();
        longer.push(0);
        assert!(decode::<String>((&a, 4), (&longer, 6)).is_none());
        assert!(decode::<String>((&a[..a.len() - 1], 4), (&b, 6)).is_none());
        assert!(decode::<String>((&a, usize::MAX), (&b, 6)).is_none());
    }

    #[test]
    fn a_vector_is_made_only_of_halves_written_whole_in_the_latest_split() {
        let mut halves = Halves::with_len(3);
        let (mut a, mut b) = halves.split(1);
        a.push("a".to_string()).unwrap();
        assert!(a.push("extra".to_string()).is_none());
        b.push("b".to_string()).unwrap();
        drop((a, b));
        // A later split that leaves a slot unwritten makes no vector.
        let (mut a, _) = halves.split(2);
        a.push("x".to_string()).unwrap();
        a.push("y".to_string()).unwrap();
        drop(a);
        assert_eq!(halves.into_vec(), None);

        let mut halves = Halves::with_len(3);
        let (mut a, mut b) = halves.split(2);
        for s in ["x", "y"] {
            a.push(s.to_string()).unwrap();
        }
        b.push("z".to_string()).unwrap();
        drop((a, b));
        assert_eq!(halves.into_vec().unwrap(), ["x", "y", "z"]);
    }
}
