//! Format detection and whichever importer it picks, on arbitrary bytes: an error is fine, a
//! panic is not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = streamline::fuzzing::import_bytes(data, None);
});
