//! The terminal: raw mode and alternate screen on start, restored on every way out — normal quit,
//! error, panic (a hook that chains the previous one), SIGTERM and SIGHUP (handled by the app
//! loop). Every way out also kills the process groups of running steps.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{BufWriter, Stdout};

/// Frames go through one buffer and reach the terminal in one write, not one per line.
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Enters raw mode and the alternate screen, with mouse and bracketed paste.
pub fn init() -> std::io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut stdout = std::io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        1 << 16,
        stdout,
    )))
    .inspect_err(|_| restore())
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Ctrl-Z: gives the terminal back and stops the process as the shell's job control expects;
/// on `fg` (SIGCONT) takes the terminal again and clears it so that the next frame is whole.
/// Without job control (no shell to return to) the stop is discarded and this just redraws.
pub fn suspend(term: &mut Term) -> std::io::Result<()> {
    use ratatui::backend::{Backend, ClearType};
    restore();
    nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).map_err(std::io::Error::from)?;
    enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    // Not `Terminal::clear`: it asks the terminal for the cursor position, an answer the input
    // task would read instead. A blank frame after a real clear makes the next one whole.
    term.backend_mut().clear_region(ClearType::All)?;
    term.draw(|_| {})?;
    Ok(())
}

/// On panic: kill running steps, restore the terminal, then let the previous hook print.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        crate::exec::kill_all_groups();
        restore();
        previous(info);
    }));
}
