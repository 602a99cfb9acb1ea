#pragma once

/// Runs the command line (`kith balances|check|template|serve ...`). Borrows argv. Returns
/// the process exit code: 0 fine, 1 `check` found errors, 2 usage or I/O error.
int kith_cli_main(int argc, char **argv);
