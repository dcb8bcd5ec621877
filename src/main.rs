use std::process::ExitCode;

fn main() -> ExitCode {
    match newsgraph_cli::run() {
        Ok(code) => code,
        Err(e) => {
            // One line: the error and its causes.
            eprintln!("newsgraph: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::from(1)
        }
    }
}

#[path = "cli.rs"]
mod newsgraph_cli;
