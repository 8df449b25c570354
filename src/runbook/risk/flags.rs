//! The lists of flags that take a value, as `args` reads them: for every flag word (and every
//! letter of a short cluster such as `-itn`) it asks whether the flag takes a value. A short
//! list is simply scanned; the long ones (`kubectl`, `curl`, `docker run`…) are indexed once,
//! so that a question costs a bit test or one table lookup instead of a hundred comparisons.

use super::table::Table;

/// A set of flags that take a value, named as written (`-n`, `--namespace`).
pub(crate) trait ValueFlags {
    fn takes_value(&self, flag: &str) -> bool;
}

impl ValueFlags for [&str] {
    fn takes_value(&self, flag: &str) -> bool {
        self.contains(&flag)
    }
}

impl<const N: usize> ValueFlags for [&str; N] {
    fn takes_value(&self, flag: &str) -> bool {
        self.contains(&flag)
    }
}

/// A long list, indexed: one bit per ASCII byte `c` for the flags `-c`, a table for the rest.
pub(crate) struct FlagSet {
    short: u128,
    long: Table<()>,
}

impl FlagSet {
    pub fn new(list: &'static [&'static str]) -> FlagSet {
        let mut short = 0u128;
        for flag in list {
            if let [b'-', c] = flag.as_bytes()
                && c.is_ascii()
            {
                short |= 1 << c;
            }
        }
        FlagSet {
            short,
            long: Table::build(&[(list, ())]),
        }
    }
}

impl ValueFlags for FlagSet {
    fn takes_value(&self, flag: &str) -> bool {
        match flag.as_bytes() {
            [b'-', c] if c.is_ascii() => self.short >> c & 1 == 1,
            _ => self.long.get(flag).is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FlagSet, ValueFlags};

    #[test]
    fn an_indexed_list_answers_like_the_list() {
        let lists: &[&'static [&'static str]] = &[
            super::super::kube::KUBE_VALUE,
            &[
                "-n",
                "--namespace",
                "-",
                "--",
                "-é",
                "-\u{7f}",
                "-\u{0}",
                "x",
                "",
            ],
            &[],
        ];
        for list in lists {
            let set = FlagSet::new(list);
            let mut probes: Vec<String> = (0..=255u8)
                .filter_map(|b| char::from_u32(u32::from(b)))
                .map(|c| format!("-{c}"))
                .collect();
            for flag in list.iter() {
                probes.push(flag.to_string());
                probes.push(format!("{flag}x"));
                probes.push(format!("-{flag}"));
                probes.extend(flag.get(1..).map(str::to_string));
            }
            probes.extend(["", "-", "--", "---", "--n", "-nn", "n"].map(String::from));
            for p in &probes {
                assert_eq!(set.takes_value(p), list.takes_value(p), "{p:?} in {list:?}");
            }
        }
    }
}
