#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| certfolio::fuzz_entry::document(data));
