//! Times one `parse` of a file given on the command line (a quick look, not the benchmark).
#![allow(clippy::unwrap_used)]
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let t = std::time::Instant::now();
    let book = runbook::runbook::parse(&text);
    let el = t.elapsed();
    println!(
        "{} bytes, {} steps in {:?} ({:.1} MB/s)",
        text.len(),
        book.steps.len(),
        el,
        text.len() as f64 / el.as_secs_f64() / 1e6
    );
}
