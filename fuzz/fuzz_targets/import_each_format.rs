//! Every importer, forced, on arbitrary bytes (the first byte picks the format).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((first, rest)) = data.split_first() {
        let formats = streamline::fuzzing::FORMATS;
        let format = formats[usize::from(*first) % formats.len()];
        let _ = streamline::fuzzing::import_bytes(rest, Some(format));
    }
});
