use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            // One line: the error and its causes.
            eprintln!("newsgraph: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::from(1)
        }
    }
}
