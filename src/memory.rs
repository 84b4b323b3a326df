//! When freed memory goes back to the system: the one knob of mimalloc, the binary's allocator
//! (`main.rs`), that plantrack turns. Outside the binary (in tests, with the system allocator)
//! these calls only set a variable of an allocator that is not in use.
//!
//! - A report returns freed memory at once ([`return_freed_at_once`]): it lets go of the
//!   ledger's facts and the verdicts (33 MB at 100,000 items) before it draws the table, and
//!   the drawing then does not add to its peak (report overdue at 100k: 109 → 98 MiB).
//! - From a full parse of the plan on, nothing is returned ([`keep_freed_to_exit`]):
//!   returning the parser's 300 MB page by page, and faulting pages back in for what comes
//!   next, took a fifth of a second of a province plan's first `check`, and the process's
//!   peak is the parser's either way.
//! - Nor at exit: the system takes every page back whole.
//! - Nor for a plan of fewer than [`SMALL_PLAN`] items ([`fit_to_plan`]): its peak is a few
//!   tens of MiB either way, and returning pages costs a small plan's bulletin a tenth of its
//!   time (1k items: 31-33 → 28 ms; 10k: its peak 37 → 48 MiB).
//!
//! `MIMALLOC_PURGE_DELAY` set by the user wins over both. (A delay of 10 ms made the
//! bulletin's folder 4 ms of CPU quicker at 1k, and its peak at 100k 173 → 189 MiB, near its
//! budget.)

/// mimalloc's option `mi_option_purge_delay` (its number in mimalloc.h, version 3): how many
/// milliseconds freed memory stays resident before it is returned to the system (1000); -1
/// is never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn user_set() -> bool {
    std::env::var_os("MIMALLOC_PURGE_DELAY").is_some()
}

fn set_delay(ms: std::ffi::c_long) {
    if !user_set() {
        // SAFETY: sets one of mimalloc's options, which takes any number.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) };
    }
}

/// The purge delay now, in milliseconds.
pub fn delay() -> std::ffi::c_long {
    // SAFETY: reads one of mimalloc's options.
    unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
}

/// Freed memory is returned to the system as soon as it is freed.
pub fn return_freed_at_once() {
    set_delay(0);
}

/// Freed memory is kept to the end of the process, for the process's next allocations.
pub fn keep_freed_to_exit() {
    set_delay(-1);
}

/// Plans below this many items keep their freed memory: see the module's notes.
pub const SMALL_PLAN: usize = 20_000;

/// Keeps freed memory to the end of the process for a plan of fewer than [`SMALL_PLAN`]
/// items; for a larger plan the delay stays as it is (at once, but after a full parse).
pub fn fit_to_plan(items: usize) {
    if items < SMALL_PLAN {
        keep_freed_to_exit();
    }
}
