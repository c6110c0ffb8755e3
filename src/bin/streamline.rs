//! The `streamline` command-line tool: see `streamline --help`.

fn main() -> std::process::ExitCode {
    streamline::cli::main()
}
