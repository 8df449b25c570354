//! Standard output for the commands that print a listing (`list`, `check`, a headless dry
//! run). A reader that goes away (`runbook check x | head`) ends the listing quietly: what is
//! left is thrown away. Any other failure to write (a full disk) is an error for the command
//! to report in one line. `println!` panicked on both.

use std::io::{self, BufWriter, ErrorKind, StdoutLock, Write};

/// Buffered standard output that takes a closed pipe for the end of the listing.
pub fn stdout() -> BufWriter<UntilClosed<StdoutLock<'static>>> {
    BufWriter::with_capacity(1 << 16, UntilClosed::new(io::stdout().lock()))
}

/// A writer that stops writing, without an error, once its reader has gone away.
pub struct UntilClosed<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> UntilClosed<W> {
    pub fn new(inner: W) -> UntilClosed<W> {
        UntilClosed {
            inner,
            closed: false,
        }
    }

    fn unless_closed<T>(&mut self, result: io::Result<T>, instead: T) -> io::Result<T> {
        match result {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(instead)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for UntilClosed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let written = self.inner.write(buf);
        self.unless_closed(written, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.unless_closed(flushed, ())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::UntilClosed;
    use std::io::{self, ErrorKind, Write};

    /// Takes `room` bytes, then fails every write with `kind`.
    struct Pipe {
        room: usize,
        kind: ErrorKind,
        got: Vec<u8>,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.got.len() + buf.len() > self.room {
                return Err(self.kind.into());
            }
            self.got.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn pipe(room: usize, kind: ErrorKind) -> UntilClosed<Pipe> {
        UntilClosed::new(Pipe {
            room,
            kind,
            got: Vec::new(),
        })
    }

    #[test]
    fn a_closed_pipe_ends_the_listing_quietly() {
        let mut out = pipe(6, ErrorKind::BrokenPipe);
        writeln!(out, "first").unwrap();
        assert!(!out.closed);
        writeln!(out, "second").unwrap();
        writeln!(out, "third").unwrap();
        out.flush().unwrap();
        assert!(out.closed);
        assert_eq!(out.inner.got, b"first\n");
    }

    #[test]
    fn other_failures_are_errors() {
        let mut out = pipe(6, ErrorKind::StorageFull);
        writeln!(out, "first").unwrap();
        let e = writeln!(out, "second").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::StorageFull);
        assert!(!out.closed);
    }
}
