#![allow(clippy::unwrap_used)]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::{Duration, Instant};
fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|t| t.parse().ok())
        .unwrap_or(8);
    let (mut pd, mut p2) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let n = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count();
        pd.push(t.elapsed());
        let t = Instant::now();
        let b = runbook::runbook::parse_with_threads(&text, "R", 2);
        drop(b);
        p2.push(t.elapsed());
        std::hint::black_box(n);
    }
    pd.sort();
    p2.sort();
    let m = |v: &Vec<Duration>| v[v.len() / 2];
    println!(
        "pulldown min {:?} med {:?} | parse2 min {:?} med {:?} | ratio min {:.1}% med {:.1}%",
        pd[0],
        m(&pd),
        p2[0],
        m(&p2),
        100.0 * pd[0].as_secs_f64() / p2[0].as_secs_f64(),
        100.0 * m(&pd).as_secs_f64() / m(&p2).as_secs_f64()
    );
}
