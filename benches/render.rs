//! `render()` alone, in process: `cargo bench --bench render`. The whole-process comparison
//! with Typst is `scripts/bench_render.sh`; figures in docs/PERFORMANCE.md.

use certfolio::domain::portfolio::{Framing, Scope, Spec};
use certfolio::domain::{Document, parse_document};
use certfolio::pdf::{RenderOptions, render};

fn main() {
    divan::main();
}

/// The 24-course fixture, repeated with distinct titles to reach `n` courses (the 240-course
/// case checks that time grows linearly).
fn document(n: usize) -> Document {
    let base = parse_document(include_bytes!("../tests/fixtures/doc24.json")).expect("fixture parses");
    let mut doc = base.clone();
    doc.courses = (0..n)
        .map(|i| {
            let mut c = base.courses[i % base.courses.len()].clone();
            if i >= base.courses.len() {
                c.title = format!("{} — {}", c.title, i / base.courses.len() + 1);
            }
            c
        })
        .collect();
    doc
}

fn options(framing: Framing, scope: Scope) -> RenderOptions {
    RenderOptions {
        spec: Spec { framing, scope, include_uncertified: false },
        lang: None,
        share: None,
        created_at: time::OffsetDateTime::UNIX_EPOCH,
    }
}

#[divan::bench(args = [24, 240])]
fn appetite(bencher: divan::Bencher, n: usize) {
    let doc = document(n);
    let opts = options(Framing::Appetite, Scope::All);
    // Parse the embedded fonts once, as a long-running server does.
    render(&doc, &opts).expect("renders");
    bencher.bench(|| render(divan::black_box(&doc), &opts).expect("renders"));
}

#[divan::bench(args = [24, 240])]
fn legitimacy_field(bencher: divan::Bencher, n: usize) {
    let doc = document(n);
    let opts = options(Framing::Legitimacy, Scope::Field("computing".into()));
    render(&doc, &opts).expect("renders");
    bencher.bench(|| render(divan::black_box(&doc), &opts).expect("renders"));
}
