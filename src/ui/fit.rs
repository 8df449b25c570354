//! PURE. Which lines of a long script a dialog shows when not all of them fit: the lines that
//! make the step risky first, then lines from the top, with one marker row for each run of
//! lines left out. A confirmation must never hide the line it asks about.

/// One row of what to draw: a line by index, or a marker for `n` lines left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    Line(usize),
    Hidden(usize),
}

/// Picks rows for lines that take `rows[i]` screen rows each within `budget` rows; lines where
/// `important[i]` holds come first.
pub(crate) fn fit(rows: &[usize], important: &[bool], budget: usize) -> Vec<Row> {
    let n = rows.len();
    if rows.iter().sum::<usize>() <= budget {
        return (0..n).map(Row::Line).collect();
    }
    if budget == 0 {
        return Vec::new();
    }
    let mut shown = vec![false; n];
    let wanted = (0..n).filter(|&i| important.get(i).copied().unwrap_or(false));
    for i in wanted.chain(0..n) {
        if shown[i] {
            continue;
        }
        shown[i] = true;
        if cost(rows, &shown) > budget {
            shown[i] = false;
            break;
        }
    }
    let mut out = Vec::new();
    let mut hidden = 0;
    for (i, &s) in shown.iter().enumerate() {
        if s {
            if hidden > 0 {
                out.push(Row::Hidden(hidden));
                hidden = 0;
            }
            out.push(Row::Line(i));
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        out.push(Row::Hidden(hidden));
    }
    out
}

/// Rows taken by the shown lines plus one marker per run of hidden ones.
fn cost(rows: &[usize], shown: &[bool]) -> usize {
    let lines: usize = rows
        .iter()
        .zip(shown)
        .filter(|(_, s)| **s)
        .map(|(r, _)| r)
        .sum();
    let runs = shown
        .iter()
        .enumerate()
        .filter(|&(i, s)| !s && (i == 0 || shown[i - 1]))
        .count();
    lines + runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use Row::{Hidden, Line};

    #[test]
    fn everything_when_it_fits() {
        assert_eq!(fit(&[1, 2], &[false, false], 3), [Line(0), Line(1)]);
        assert_eq!(fit(&[], &[], 0), []);
    }

    #[test]
    fn the_risky_line_stays_in_view() {
        let rows = [1; 45];
        let mut important = [false; 45];
        important[44] = true;
        let got = fit(&rows, &important, 6);
        assert_eq!(
            got,
            [Line(0), Line(1), Line(2), Line(3), Hidden(40), Line(44)]
        );
    }

    #[test]
    fn wrapped_lines_and_tiny_budgets() {
        let got = fit(&[3, 1, 1], &[false, false, true], 2);
        assert_eq!(got, [Hidden(2), Line(2)]);
        assert_eq!(fit(&[2, 2], &[true, true], 1), [Hidden(2)]);
        assert_eq!(fit(&[1, 1], &[false, false], 0), []);
    }
}
