#pragma once

/// Writes one line to kith's log: the file named by $KITH_LOG when set, else stderr (stdout
/// belongs to RPC in `kith serve`). Thread-safe (one write per line).
void kith_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
