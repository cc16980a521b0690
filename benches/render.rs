//! The portfolio in process: `cargo bench --bench render`. `present` builds the presentation
//! model (what the builder's preview and the recruiter's page need); `render` is model + PDF. The
//! whole-process comparison with Typst is `scripts/bench_render.sh`; figures in
//! docs/PERFORMANCE.md.

use certfolio::domain::Lang;
use certfolio::domain::parse_document;
use certfolio::domain::portfolio::{Framing, Scope, Spec};
use certfolio::domain::record::Record;
use certfolio::pdf::{RenderOptions, render};
use certfolio::presentation::present;

fn main() {
    divan::main();
}

/// The 24-course fixture, repeated with distinct titles to reach `n` courses (the 240-course
/// case checks that time grows linearly).
fn record(n: usize) -> Record {
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
    Record::from_document(doc)
}

fn spec(framing: Framing, scope: Scope) -> Spec {
    Spec::new(framing, scope)
}

const NOW: i64 = 1_795_262_400;

fn options() -> RenderOptions {
    RenderOptions { share: None, created_at: time::OffsetDateTime::UNIX_EPOCH }
}

fn pdf(record: &Record, spec: &Spec) -> Vec<u8> {
    let p = present(record, spec, Lang::Fr, NOW).expect("presents");
    render(&p, &options()).expect("renders")
}

#[divan::bench(args = [24, 240])]
fn appetite(bencher: divan::Bencher, n: usize) {
    let record = record(n);
    let spec = spec(Framing::Appetite, Scope::All);
    // Parse the embedded fonts once, as a long-running server does.
    pdf(&record, &spec);
    bencher.bench(|| pdf(divan::black_box(&record), &spec));
}

#[divan::bench(args = [24, 240])]
fn legitimacy_field(bencher: divan::Bencher, n: usize) {
    let record = record(n);
    let spec = spec(Framing::Legitimacy, Scope::Field("computing".into()));
    pdf(&record, &spec);
    bencher.bench(|| pdf(divan::black_box(&record), &spec));
}

/// The presentation model alone: what a preview or a recruiter's page costs before HTML.
#[divan::bench(args = [24, 240])]
fn present_appetite(bencher: divan::Bencher, n: usize) {
    let record = record(n);
    let spec = spec(Framing::Appetite, Scope::All);
    bencher.bench(|| present(divan::black_box(&record), &spec, Lang::Fr, NOW).expect("presents"));
}
