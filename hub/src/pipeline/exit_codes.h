// pipeline/exit_codes.h: shared/spec/interfaces.md §1.
#pragma once

namespace sendhub::exit_code {
inline constexpr int ok = 0;
inline constexpr int data_problems = 1;   // quarantined records or validation errors
inline constexpr int usage = 2;           // usage or configuration error: nothing was done
inline constexpr int failed = 3;          // a source or sink failed; its part left no trace
inline constexpr int locked = 4;          // another run holds the store
inline constexpr int internal = 70;       // a bug (EX_SOFTWARE)
}  // namespace sendhub::exit_code
